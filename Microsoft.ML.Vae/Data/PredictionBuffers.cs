namespace Microsoft.ML.Vae.Data;

/// <summary>Row-major output buffers for <c>n</c> rows of the six scoring columns, and their split into per-row predictions.</summary>
internal sealed class PredictionBuffers(int rowCount, int featureCount, int latentDimension)
{
    public int RowCount { get; } = rowCount;

    public float[] LatentMean { get; } = new float[rowCount * latentDimension];

    public float[] LatentLogVariance { get; } = new float[rowCount * latentDimension];

    public float[] Reconstruction { get; } = new float[rowCount * featureCount];

    public float[] ReconstructionError { get; } = new float[rowCount];

    public float[] Score { get; } = new float[rowCount];

    public bool[] PredictedLabel { get; } = new bool[rowCount];

    public VaePrediction[] ToPredictions()
    {
        int l = LatentMean.Length / RowCount, f = Reconstruction.Length / RowCount;
        var predictions = new VaePrediction[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            predictions[r] = new VaePrediction
            {
                LatentMean = LatentMean.AsSpan(r * l, l).ToArray(),
                LatentLogVariance = LatentLogVariance.AsSpan(r * l, l).ToArray(),
                Reconstruction = Reconstruction.AsSpan(r * f, f).ToArray(),
                ReconstructionError = ReconstructionError[r],
                Score = Score[r],
                PredictedLabel = PredictedLabel[r],
            };
        }

        return predictions;
    }
}
