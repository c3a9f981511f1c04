using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Opens an input named on the command line as the <see cref="FeatureReader"/> its format needs.
/// </summary>
internal static class FeatureInput
{
    /// <summary>Opens <paramref name="path"/> (<c>-</c> is standard input from <paramref name="streams"/>).</summary>
    public static FeatureReader Open(string path, StandardStreams? streams, ColumnSelection selection, BadRowPolicy policy,
        char? delimiter = null, char? decimalSeparator = null)
    {
        InputFile input = InputFile.Open(path, streams);
        return CsvFeatureReader.Open(input, delimiter, selection, policy, decimalSeparator);
    }
}
