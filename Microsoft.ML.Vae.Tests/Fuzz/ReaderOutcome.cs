using Microsoft.ML.Vae.Cli;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>How reading a whole fuzz input as training does (one matrix) ended, as a campaign outcome.</summary>
internal static class ReaderOutcome
{
    /// <summary>
    /// "rows read", the data error's type name, "bad input", or "no rows" (which no campaign allows: an input without
    /// rows must end in the data error).
    /// </summary>
    public static string Of<TDataError>(Func<FeatureReader> open)
        where TDataError : Exception
    {
        try
        {
            using FeatureReader reader = open();
            FeatureMatrix matrix = FeatureMatrixLoader.Load(reader);
            return matrix.RowCount > 0 ? "rows read" : "no rows";
        }
        catch (TDataError)
        {
            return typeof(TDataError).Name;
        }
        catch (CliException e) when (e.ExitCode == ExitCodes.BadInput)
        {
            return "bad input";
        }
    }
}
