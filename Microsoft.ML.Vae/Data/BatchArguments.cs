namespace Microsoft.ML.Vae.Data;

/// <summary>
/// The argument checks every scorer shares (<see cref="VaeTransformer"/> and <see cref="OnnxVaeScorer"/>), so both
/// reject the same input with the same message.
/// </summary>
internal static class BatchArguments
{
    /// <summary>
    /// The number of rows in row-major <paramref name="features"/>; throws unless they are whole rows, and finite
    /// unless <paramref name="deferFiniteCheck"/>.
    /// </summary>
    private static int RowCount(ReadOnlySpan<float> features, int featureCount, bool deferFiniteCheck)
    {
        if (features.Length % featureCount != 0)
        {
            throw new ArgumentException($"{features.Length} values do not make whole rows of {featureCount} features.", nameof(features));
        }

        if (!deferFiniteCheck)
        {
            FeatureMatrix.ThrowIfNotFinite(features, featureCount, nameof(features));
        }

        return features.Length / featureCount;
    }

    /// <summary>
    /// Checks a batch call's features (<see cref="RowCount"/>) and cuts each output buffer to the rows' size
    /// (<see cref="Output"/>); returns the number of rows. With <paramref name="deferFiniteCheck"/> the caller checks
    /// that the features are finite itself, before it writes any output (the transformer does, on its pool).
    /// </summary>
    public static int Scoring(
        ReadOnlySpan<float> features, int featureCount, int latentDimension, ref Span<float> latentMean,
        ref Span<float> latentLogVariance, ref Span<float> reconstruction, ref Span<float> reconstructionError,
        ref Span<float> score, ref Span<bool> predictedLabel, bool deferFiniteCheck = false)
    {
        int n = RowCount(features, featureCount, deferFiniteCheck);
        latentMean = Output(latentMean, n * latentDimension, nameof(latentMean));
        latentLogVariance = Output(latentLogVariance, n * latentDimension, nameof(latentLogVariance));
        reconstruction = Output(reconstruction, n * featureCount, nameof(reconstruction));
        reconstructionError = Output(reconstructionError, n, nameof(reconstructionError));
        score = Output(score, n, nameof(score));
        predictedLabel = Output(predictedLabel, n, nameof(predictedLabel));
        return n;
    }

    /// <summary>An output buffer cut to <paramref name="needed"/> values, or empty when the caller skips that output.</summary>
    private static Span<T> Output<T>(Span<T> buffer, int needed, string name)
    {
        if (buffer.IsEmpty)
        {
            return buffer;
        }

        return buffer.Length >= needed
            ? buffer[..needed]
            : throw new ArgumentException($"The {name} buffer holds {buffer.Length} values but {needed} are needed (or pass an empty span to skip it).", name);
    }

    /// <summary>Jagged rows copied into a matrix, each checked to have <paramref name="width"/> finite values.</summary>
    public static FeatureMatrix Rows(float[][] rows, int width, string what)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0)
        {
            throw new ArgumentException($"No {what}s were given.", nameof(rows));
        }

        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r] is null)
            {
                throw new ArgumentException($"Row {r} is null.", nameof(rows));
            }

            if (rows[r].Length != width)
            {
                throw new ArgumentException($"Row {r} has {rows[r].Length} values but the model expects {width} per {what}.", nameof(rows));
            }
        }

        return FeatureMatrix.FromRows(rows);
    }
}
