namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// Caller-owned buffers for one block of rows and the model's no-allocation batch path; allocated once per run,
/// so scoring any number of blocks allocates nothing more.
/// </summary>
internal sealed class BlockScorer
{
    private readonly VaeTransformer _model;
    private readonly float[] _reconstruction;
    private readonly float[] _scaledFeatures;
    private readonly float[] _scaledReconstruction;
    private readonly int[] _topIndex;
    private readonly float[] _topError;
    private readonly int _featureCount;

    public BlockScorer(VaeTransformer model, int blockRows, int topFeatures)
    {
        _model = model;
        _featureCount = model.FeatureCount;
        LatentDimension = model.LatentDimension;
        TopFeatureCount = topFeatures;
        Features = new float[blockRows * _featureCount];
        LatentMeans = new float[blockRows * LatentDimension];
        ReconstructionErrors = new float[blockRows];
        Scores = new float[blockRows];
        PredictedLabels = new bool[blockRows];
        _reconstruction = topFeatures > 0 ? new float[blockRows * _featureCount] : [];
        _scaledFeatures = new float[_reconstruction.Length];
        _scaledReconstruction = new float[_reconstruction.Length];
        _topIndex = new int[blockRows * topFeatures];
        _topError = new float[blockRows * topFeatures];
    }

    public int LatentDimension { get; }

    public int TopFeatureCount { get; }

    /// <summary>Input rows, row-major; fill the first rows then call <see cref="Score"/>.</summary>
    public float[] Features { get; }

    public float[] LatentMeans { get; }

    public float[] ReconstructionErrors { get; }

    public float[] Scores { get; }

    public bool[] PredictedLabels { get; }

    public void Score(int rows)
    {
        int n = rows * _featureCount;
        _model.Transform(
            Features.AsSpan(0, n),
            LatentMeans.AsSpan(0, rows * LatentDimension),
            default,
            TopFeatureCount > 0 ? _reconstruction.AsSpan(0, n) : default,
            ReconstructionErrors.AsSpan(0, rows),
            Scores.AsSpan(0, rows),
            PredictedLabels.AsSpan(0, rows));
        if (TopFeatureCount == 0)
        {
            return;
        }

        // Compare in the model's scaled space, the one ReconstructionError averages over, so features with large
        // units do not drown the rest.
        _model.Scaler.Transform(Features.AsSpan(0, n), _scaledFeatures.AsSpan(0, n), rows);
        _model.Scaler.Transform(_reconstruction.AsSpan(0, n), _scaledReconstruction.AsSpan(0, n), rows);
        for (int r = 0; r < rows; r++)
        {
            SelectTop(
                _scaledFeatures.AsSpan(r * _featureCount, _featureCount),
                _scaledReconstruction.AsSpan(r * _featureCount, _featureCount),
                _topIndex.AsSpan(r * TopFeatureCount, TopFeatureCount),
                _topError.AsSpan(r * TopFeatureCount, TopFeatureCount));
        }
    }

    /// <summary>The <paramref name="rank"/>-th (0 = largest) feature by reconstruction error of row <paramref name="row"/>.</summary>
    public (int Feature, float Error) TopFeature(int row, int rank) =>
        (_topIndex[row * TopFeatureCount + rank], _topError[row * TopFeatureCount + rank]);

    /// <summary>
    /// Keeps the K largest squared errors, largest first (insertion into a K-slot list: K is small).
    /// </summary>
    internal static void SelectTop(ReadOnlySpan<float> features, ReadOnlySpan<float> reconstruction, Span<int> topIndex, Span<float> topError)
    {
        int k = topIndex.Length;
        int filled = 0;
        for (int j = 0; j < features.Length; j++)
        {
            float d = features[j] - reconstruction[j];
            float error = d * d;
            if (filled == k && error <= topError[k - 1])
            {
                continue;
            }

            int at = filled < k ? filled++ : k - 1;
            while (at > 0 && topError[at - 1] < error)
            {
                topError[at] = topError[at - 1];
                topIndex[at] = topIndex[at - 1];
                at--;
            }

            topError[at] = error;
            topIndex[at] = j;
        }
    }
}
