using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Files;
using Microsoft.ML.Vae.Cli.Parquet;

namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Opens an input named on the command line as the <see cref="FeatureReader"/> its format needs: a name ending in
/// <c>.parquet</c> is Parquet; anything else, standard input included, is CSV (plain or gzip).
/// </summary>
internal static class FeatureInput
{
    /// <summary>Whether <paramref name="path"/> names a Parquet file (by its extension, any case); also decides the score output's format.</summary>
    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens <paramref name="path"/> (<c>-</c> is standard input from <paramref name="streams"/>).</summary>
    public static FeatureReader Open(string path, StandardStreams? streams, ColumnSelection selection, BadRowPolicy policy,
        char? delimiter = null, char? decimalSeparator = null)
    {
        InputFile input = InputFile.Open(path, streams);
        return !StandardStreams.IsDash(path) && IsParquet(path)
            ? ParquetFeatureReader.Open(input, selection, policy)
            : CsvFeatureReader.Open(input, delimiter, selection, policy, decimalSeparator);
    }
}
