namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Malformed or unusable CSV content. The message names the file, the line and, when one is at fault, the column.
/// </summary>
internal sealed class CsvDataException : ArgumentException
{
    public CsvDataException(string file, long line, string? column, string problem)
        : base(Format(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The file being read.</summary>
    public string File { get; }

    /// <summary>1-based line where the offending record starts (0 when not about one line).</summary>
    public long Line { get; }

    /// <summary>The column at fault, as "name (#index)", or null when the whole row is at fault.</summary>
    public string? Column { get; }

    private static string Format(string file, long line, string? column, string problem)
    {
        string where = line > 0 ? $"{file}, line {line}" : file;
        if (column is not null)
        {
            where += $", column {column}";
        }

        return $"{where}: {problem}";
    }
}
