using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Malformed or unusable CSV content. The message names the file, the line and, when one is at fault, the column.
/// </summary>
internal sealed class CsvDataException(string file, long line, string? column, string problem)
    : InputDataException(file, line > 0 ? $"line {line}" : null, column, problem)
{
    /// <summary>1-based line where the offending record starts (0 when not about one line).</summary>
    public long Line { get; } = line;
}
