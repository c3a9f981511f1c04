using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// A block of feature rows and the outputs the batch path computed for them. Only the active outputs get buffers,
/// and only they are computed. Cursors score 256 rows at a time through it; the row mapper, one.
/// </summary>
internal sealed class ScoredBlock
{
    private readonly VaeTransformer _model;
    private readonly float[] _latentMean;
    private readonly float[] _latentLogVariance;
    private readonly float[] _reconstruction;
    private readonly float[] _reconstructionError;
    private readonly float[] _score;
    private readonly bool[] _predictedLabel;

    /// <param name="model">The scoring model.</param>
    /// <param name="capacity">Rows per block.</param>
    /// <param name="active">Which of the six outputs (by <see cref="VaeOutput"/>) a caller may read.</param>
    public ScoredBlock(VaeTransformer model, int capacity, ReadOnlySpan<bool> active)
    {
        _model = model;
        int f = model.FeatureCount, l = model.LatentDimension;
        Capacity = capacity;
        Features = new float[capacity * f];
        _latentMean = Buffer<float>(active, VaeOutput.LatentMean, capacity * l);
        _latentLogVariance = Buffer<float>(active, VaeOutput.LatentLogVariance, capacity * l);
        _reconstruction = Buffer<float>(active, VaeOutput.Reconstruction, capacity * f);
        _reconstructionError = Buffer<float>(active, VaeOutput.ReconstructionError, capacity);
        _score = Buffer<float>(active, VaeOutput.Score, capacity);
        _predictedLabel = Buffer<bool>(active, VaeOutput.PredictedLabel, capacity);
    }

    public int Capacity { get; }

    /// <summary>Row-major feature rows of the block; fill the first rows, then call <see cref="Score"/>.</summary>
    public float[] Features { get; }

    /// <summary>The feature row <paramref name="row"/> of the block.</summary>
    public Span<float> FeatureRow(int row) => Features.AsSpan(row * _model.FeatureCount, _model.FeatureCount);

    /// <summary>Scores the first <paramref name="rows"/> feature rows (checked finite by the caller) in one batch call.</summary>
    public void Score(int rows)
    {
        int f = _model.FeatureCount, l = _model.LatentDimension;
        _model.Score(
            Features.AsSpan(0, rows * f), featuresChecked: true, Slice(_latentMean, rows * l), Slice(_latentLogVariance, rows * l),
            Slice(_reconstruction, rows * f), Slice(_reconstructionError, rows), Slice(_score, rows), Slice(_predictedLabel, rows));
    }

    /// <summary>A getter of one output for the block row that <paramref name="row"/> names when the getter is called.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TValue"/> is not the column's type.</exception>
    public ValueGetter<TValue> Getter<TValue>(VaeOutput output, string columnName, Func<int> row)
    {
        Delegate getter = output switch
        {
            VaeOutput.LatentMean => VectorGetter(_latentMean, _model.LatentDimension, row),
            VaeOutput.LatentLogVariance => VectorGetter(_latentLogVariance, _model.LatentDimension, row),
            VaeOutput.Reconstruction => VectorGetter(_reconstruction, _model.FeatureCount, row),
            VaeOutput.ReconstructionError => ScalarGetter(_reconstructionError, row),
            VaeOutput.Score => ScalarGetter(_score, row),
            VaeOutput.PredictedLabel => ScalarGetter(_predictedLabel, row),
            _ => throw new ArgumentOutOfRangeException(nameof(output)),
        };

        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Column '{columnName}' holds {VaeOutputColumns.Type(output, _model.FeatureCount, _model.LatentDimension)}; " +
            $"it cannot be read as {typeof(TValue).Name}.");
    }

    private static ValueGetter<VBuffer<float>> VectorGetter(float[] values, int width, Func<int> row) =>
        (ref VBuffer<float> destination) =>
        {
            VBufferEditor<float> editor = VBufferEditor.Create(ref destination, width);
            values.AsSpan(row() * width, width).CopyTo(editor.Values);
            destination = editor.Commit();
        };

    private static ValueGetter<T> ScalarGetter<T>(T[] values, Func<int> row) => (ref T destination) => destination = values[row()];

    private static T[] Buffer<T>(ReadOnlySpan<bool> active, VaeOutput output, int length) => active[(int)output] ? new T[length] : [];

    private static Span<T> Slice<T>(T[] buffer, int length) => buffer.Length == 0 ? default : buffer.AsSpan(0, length);
}
