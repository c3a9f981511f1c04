using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Parquet;

/// <summary>
/// Unusable Parquet content: not a Parquet file, a column of another type, a null or non-finite value. The message
/// names the file, the row (its number in the file, its row group and its place there) and the column.
/// </summary>
internal sealed class ParquetDataException(string file, long row, int rowGroup, int rowGroupCount, long rowInGroup, string? column, string problem)
    : InputDataException(file, Where(row, rowGroup, rowGroupCount, rowInGroup), column, problem)
{
    /// <summary>An error about the file or a column as a whole, not one row.</summary>
    public ParquetDataException(string file, string? column, string problem)
        : this(file, 0, 0, 0, 0, column, problem)
    {
    }

    /// <summary>1-based row in the file (0 when not about one row).</summary>
    public long Row { get; } = row;

    /// <summary>1-based row group (0 when not about one).</summary>
    public int RowGroup { get; } = rowGroup;

    private static string? Where(long row, int rowGroup, int rowGroupCount, long rowInGroup) => row > 0
        ? $"row {row} (row group {rowGroup} of {rowGroupCount}, row {rowInGroup} in it)"
        : rowGroup > 0 ? $"row group {rowGroup} of {rowGroupCount}" : null;
}
