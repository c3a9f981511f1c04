namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Reads all good rows of an input once into one compact row-major float array (no per-row objects) for training.
/// </summary>
/// <remarks>
/// The row count is unknown until the end (gzip, quoted line breaks), so rows land in fixed-size chunks and are copied
/// once into an exactly sized array: peak memory is about twice the matrix, never the 3x of a doubling array.
/// </remarks>
internal static class FeatureMatrixLoader
{
    private const int ChunkRows = 1 << 16;

    /// <summary>Values per chunk, at most: wide inputs get fewer rows per chunk, not gigabyte chunks.</summary>
    private const int ChunkValues = 1 << 22;

    public static FeatureMatrix Load(FeatureReader reader, Action<double>? progress = null)
    {
        int width = reader.FeatureCount;
        int chunkRows = Math.Clamp(ChunkValues / width, 1, ChunkRows);
        var chunks = new List<(float[] Values, int Rows)>();
        long total = 0;
        while (true)
        {
            var chunk = new float[chunkRows * width];
            int rows = reader.ReadBlock(chunk);
            if (rows == 0)
            {
                break;
            }

            chunks.Add((chunk, rows));
            total += rows;
            progress?.Invoke(reader.Fraction);
            if (rows < chunkRows)
            {
                break;
            }
        }

        if (total == 0)
        {
            throw reader.DataError(
                reader.SkippedRowCount > 0 ? $"all {reader.SkippedRowCount} data rows were bad and skipped; nothing to train on." : "the file has a header but no data rows.");
        }

        if (total * width > Array.MaxLength)
        {
            throw reader.DataError($"{total} rows x {width} features exceed the largest array .NET can hold; train on a sample.");
        }

        var values = new float[total * width];
        int offset = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            (float[] chunk, int rows) = chunks[i];
            chunk.AsSpan(0, rows * width).CopyTo(values.AsSpan(offset));
            offset += rows * width;
            chunks[i] = default; // let the chunk go as soon as it is copied
        }

        return new FeatureMatrix(values, (int)total, width, reader.FeatureNames);
    }
}
