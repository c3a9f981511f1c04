namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Malformed or unusable input data. The message names the file, where in it (a CSV line, a Parquet row group and row)
/// and, when one is at fault, the column.
/// </summary>
internal class InputDataException : ArgumentException
{
    public InputDataException(string file, string? location, string? column, string problem)
        : base(Format(file, location, column, problem))
    {
        File = file;
        Column = column;
    }

    /// <summary>The file being read.</summary>
    public string File { get; }

    /// <summary>The column at fault, as "'name' (#index)", or null when the whole row or input is at fault.</summary>
    public string? Column { get; }

    private static string Format(string file, string? location, string? column, string problem)
    {
        string where = location is null ? file : $"{file}, {location}";
        if (column is not null)
        {
            where += $", column {column}";
        }

        return $"{where}: {problem}";
    }
}
