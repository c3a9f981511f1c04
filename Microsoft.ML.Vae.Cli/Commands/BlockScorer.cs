using System.Numerics.Tensors;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// Scores <see cref="ScoreBlock"/>s with the model's no-allocation batch path, and ranks features by reconstruction
/// error when asked. Scratch buffers are allocated once; use one scorer from one thread at a time.
/// </summary>
internal sealed class BlockScorer
{
    private readonly VaeTransformer _model;
    private readonly float[] _reconstruction;
    private readonly float[] _rowErrors;
    private readonly int _featureCount;
    private readonly bool _onCallingThread;

    /// <param name="model">The model.</param>
    /// <param name="blockRows">Rows per block.</param>
    /// <param name="topFeatures">Features to rank by reconstruction error per row (0 for none).</param>
    /// <param name="onCallingThread">
    /// Score on the calling thread alone, for a scorer among one per core; otherwise a block is scored on the
    /// library's worker pool.
    /// </param>
    public BlockScorer(VaeTransformer model, int blockRows, int topFeatures, bool onCallingThread = false)
    {
        _model = model;
        _onCallingThread = onCallingThread;
        _featureCount = model.FeatureCount;
        BlockRows = blockRows;
        TopFeatureCount = topFeatures;
        _reconstruction = topFeatures > 0 ? new float[blockRows * _featureCount] : [];
        _rowErrors = new float[_featureCount];
    }

    public int BlockRows { get; }

    public int TopFeatureCount { get; }

    public int LatentDimension => _model.LatentDimension;

    /// <summary>A block for the rows of <paramref name="reader"/> (its key columns and bad-row policy).</summary>
    public ScoreBlock CreateBlock(FeatureReader reader) =>
        new(BlockRows, _featureCount, _model.LatentDimension, TopFeatureCount, reader.Keys.ColumnCount, reader.Policy);

    public void Score(ScoreBlock block)
    {
        int rows = block.Rows;
        if (rows == 0)
        {
            return;
        }

        int n = rows * _featureCount;
        // The readers admit finite values only.
        _model.Score(
            block.Features.AsSpan(0, n),
            featuresChecked: true,
            block.LatentMeans.AsSpan(0, rows * _model.LatentDimension),
            default,
            TopFeatureCount > 0 ? _reconstruction.AsSpan(0, n) : default,
            block.ReconstructionErrors.AsSpan(0, rows),
            block.Scores.AsSpan(0, rows),
            block.PredictedLabels.AsSpan(0, rows),
            onCallingThread: _onCallingThread);
        if (TopFeatureCount == 0)
        {
            return;
        }

        // Compare in the model's scaled space, the one ReconstructionError averages over, so features with large
        // units do not drown the rest. The offsets cancel: scaled error = (x - reconstruction) / scale.
        int k = TopFeatureCount;
        float[] scale = _model.Scaler.Scale;
        Span<float> errors = _rowErrors;
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Subtract(block.Features.AsSpan(r * _featureCount, _featureCount), _reconstruction.AsSpan(r * _featureCount, _featureCount), errors);
            TensorPrimitives.Divide(errors, scale, errors);
            TensorPrimitives.Multiply(errors, errors, errors);
            SelectTop(errors, block.TopIndex.AsSpan(r * k, k), block.TopError.AsSpan(r * k, k));
        }
    }

    /// <summary>Keeps the K largest of the per-feature <paramref name="errors"/>, largest first (insertion into a K-slot list: K is small).</summary>
    internal static void SelectTop(ReadOnlySpan<float> errors, Span<int> topIndex, Span<float> topError)
    {
        int k = topIndex.Length;
        int filled = 0;
        for (int j = 0; j < errors.Length; j++)
        {
            float error = errors[j];
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
