using System.Numerics.Tensors;
using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>Reads an <see cref="IDataView"/>'s feature column, dense or sparse, into a validated <see cref="FeatureMatrix"/>.</summary>
internal static class FeatureReader
{
    /// <exception cref="ArgumentException">The column is missing or of the wrong type, the data has no rows, or a value is NaN or infinite (naming the row).</exception>
    public static FeatureMatrix Read(IDataView data, string columnName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        (DataViewSchema.Column column, int width) = FeatureColumn.Find(data.Schema, columnName, expectedWidth: null);

        long? known = data.GetRowCount();
        var values = new float[(int)Math.Min(Math.Max(known ?? 1024, 1) * width, Array.MaxLength)];
        int rows = 0;
        VBuffer<float> row = default;
        using (DataViewRowCursor cursor = data.GetRowCursor([column]))
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
            while (cursor.MoveNext())
            {
                if ((rows & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                getter(ref row);
                if ((long)(rows + 1) * width > values.Length)
                {
                    Array.Resize(ref values, (int)Math.Min((long)values.Length * 2, Array.MaxLength / width * width));
                }

                CopyRow(row, values.AsSpan(rows * width, width), cursor.Position, columnName);
                rows++;
            }
        }

        if (rows == 0)
        {
            throw new ArgumentException($"The data has no rows; the feature column '{columnName}' needs at least one.", nameof(data));
        }

        Array.Resize(ref values, rows * width);
        return new FeatureMatrix(values, rows, width, SlotNames(column, width));
    }

    /// <summary>
    /// Copies one row's feature vector, dense or sparse, into <paramref name="destination"/>, checking its width and that
    /// every value is finite; errors name the row (cursor position) and the column.
    /// </summary>
    public static void CopyRow(in VBuffer<float> source, Span<float> destination, long position, string columnName)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException(
                $"Row {position}, column '{columnName}' has {source.Length} values, but the model expects {destination.Length}.", "input");
        }

        source.CopyTo(destination);
        ThrowIfNotFinite(destination, position, columnName);
    }

    /// <summary>Throws naming the row (cursor position) and the slot of the first NaN or infinity in one row.</summary>
    private static void ThrowIfNotFinite(ReadOnlySpan<float> row, long position, string columnName)
    {
        if (TensorPrimitives.IsFiniteAll(row))
        {
            return;
        }

        int slot = 0;
        while (float.IsFinite(row[slot]))
        {
            slot++;
        }

        throw new ArgumentException(
            $"Row {position}, column '{columnName}' slot {slot} is {row[slot]}; features must be finite numbers " +
            "(replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues).", "input");
    }

    /// <summary>The slot names (Concatenate records the source columns' names there), or null when absent or blank.</summary>
    private static string[]? SlotNames(DataViewSchema.Column column, int width)
    {
        if (!column.HasSlotNames())
        {
            return null;
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        string[] result = names.DenseValues().Select(n => n.ToString()).ToArray();
        return result.Length == width && result.All(n => n.Length > 0) ? result : null;
    }
}
