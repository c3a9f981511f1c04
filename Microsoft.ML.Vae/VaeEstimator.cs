using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.MlNet;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae;

/// <summary>
/// Trains a variational autoencoder on numeric feature rows. <see cref="Fit(FeatureMatrix, IProgress{VaeEpochReport}?, CancellationToken)"/>
/// scales the features, trains the network and calibrates the anomaly threshold, returning an immutable
/// <see cref="VaeTransformer"/>. In an ML.NET pipeline, create it with <c>mlContext.Transforms.Vae(...)</c> and fit it
/// on an <see cref="IDataView"/> whose feature column (<see cref="VaeOptions.FeatureColumnName"/>) is a known-size
/// vector of <see cref="float"/>.
/// </summary>
public sealed class VaeEstimator : IEstimator<VaeTransformer>
{
    private readonly IProgress<VaeEpochReport>? _progress;
    private readonly CancellationToken _cancellationToken;

    /// <summary>Creates an estimator; the options are checked here.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public VaeEstimator(VaeOptions? options = null)
        : this(options, progress: null)
    {
    }

    /// <summary>
    /// Creates an estimator whose <see cref="Fit(IDataView)"/> reports every epoch to <paramref name="progress"/> and
    /// stops when <paramref name="cancellationToken"/> is cancelled: for fitting inside an ML.NET pipeline, where
    /// <c>Fit</c> takes nothing but the data.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public VaeEstimator(VaeOptions? options, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken = default)
    {
        Options = options ?? new VaeOptions();
        Options.Validate();
        _progress = progress;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The training settings.</summary>
    public VaeOptions Options { get; }

    /// <summary>
    /// Trains a model on the feature column of <paramref name="input"/> (read once, through a cursor), reporting to the
    /// progress and cancellation token given to the constructor.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The feature column is missing (the message lists the columns there are), not a vector of Single, of unknown size,
    /// or holds a NaN or infinity (the message names the row); or the data has no rows.
    /// </exception>
    /// <exception cref="OperationCanceledException">The constructor's cancellation token was cancelled (checked before every batch).</exception>
    public VaeTransformer Fit(IDataView input) => Fit(input, _progress, _cancellationToken);

    /// <inheritdoc cref="Fit(IDataView)"/>
    /// <param name="input">The training data.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public VaeTransformer Fit(IDataView input, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Fit(FeatureReader.Read(input, Options.FeatureColumnName, cancellationToken), progress, cancellationToken);
    }

    /// <summary>The input columns plus the six output columns <see cref="VaeTransformer.Transform(IDataView)"/> adds.</summary>
    /// <exception cref="ArgumentException">The feature column is missing, not a vector of Single, or of unknown size.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return OutputSchemaShape.Append(inputSchema, Options);
    }

    /// <inheritdoc cref="Fit(FeatureMatrix, IProgress{VaeEpochReport}?, CancellationToken)"/>
    public VaeTransformer Fit(float[][] rows, IProgress<VaeEpochReport>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(FeatureMatrix.FromRows(rows), progress, cancellationToken);

    /// <summary>Trains a model on <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">Empty or ragged data, a NaN or infinite value, or (with binary cross-entropy) a scaled value outside [0, 1]; the message names the row and column.</exception>
    /// <exception cref="VaeTrainingException">The loss became NaN or infinite (the message names the epoch and batch).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked before every batch).</exception>
    public VaeTransformer Fit(FeatureMatrix rows, IProgress<VaeEpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.RowCount, f = rows.ColumnCount;
        FeatureScaler scaler = FeatureScaler.Fit(rows, Options.Scaling);
        float[] scaled = ScaledCopy(rows, scaler);
        if (Options.ReconstructionLoss == ReconstructionLoss.BinaryCrossEntropy)
        {
            ThrowIfOutsideUnitInterval(scaled, f);
        }

        var layout = new NetworkLayout(f, Options.LatentDimension, Options.HiddenLayers, Options.ReconstructionLoss);
        IVaeTrainingEngine engine = Options.TrainingEngine ?? ManagedTrainingEngine.Instance;
        (VaeNetwork network, VaeTrainingResult result) = TrainNetwork(engine, Options, layout, scaled, n, progress, cancellationToken);

        // Measured here, on the final weights, so every engine's summary reports posterior collapse the same way.
        (float[] latentKl, float[] latentVariance) = LatentUsage.Measure(network, scaled, n);
        VaeTrainingSummary summary = result.Summary.WithLatentUsage(latentKl, latentVariance);
        VaeNetwork[] ensemble = TrainEnsembleNetworks(engine, layout, scaled, n, progress, cancellationToken);
        var model = new VaeTransformer(Options, network, scaler, float.NaN, summary, rows.ColumnNames, ensemble);
        var scores = new float[n];
        model.Transform(rows.Values.Span, default, default, default, default, scores, default);
        return model.WithThreshold(ThresholdCalibration.Quantile(scores, Options.Contamination));
    }

    /// <summary>
    /// The networks besides the model's own that <see cref="VaeOptions.EnsembleSize"/> asks for, each trained by the same
    /// engine and options on its own share of the rows with its own seed; their epochs are reported with
    /// <see cref="VaeEpochReport.Network"/> set.
    /// </summary>
    private VaeNetwork[] TrainEnsembleNetworks(
        IVaeTrainingEngine engine, NetworkLayout layout, float[] scaled, int rowCount, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken)
    {
        var networks = new VaeNetwork[Options.EnsembleSize - 1];
        for (int member = 1; member < Options.EnsembleSize; member++)
        {
            int[] rows = EnsembleSample.Rows(rowCount, Options.EnsembleSampleFraction, Options.Seed, member);
            var sample = new float[rows.Length * layout.FeatureCount];
            MiniBatch.Gather(scaled, layout.FeatureCount, rows, sample);
            VaeOptions options = Options with { Seed = EnsembleSample.Seed(Options.Seed, member) };
            IProgress<VaeEpochReport>? networkProgress = progress is null ? null : new NetworkProgress(progress, member + 1);
            networks[member - 1] = TrainNetwork(engine, options, layout, sample, rows.Length, networkProgress, cancellationToken).Network;
        }

        return networks;
    }

    /// <summary>One network trained by <paramref name="engine"/> on the first <paramref name="rowCount"/> scaled rows, with its parameters checked.</summary>
    private static (VaeNetwork Network, VaeTrainingResult Result) TrainNetwork(IVaeTrainingEngine engine, VaeOptions options, NetworkLayout layout,
        float[] scaled, int rowCount, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken)
    {
        VaeTrainingResult result = engine.Train(VaeTrainingRequest.Create(options, layout, scaled, rowCount), progress, cancellationToken);
        return (new VaeNetwork(layout, CheckedParameters(engine, result, layout)), result);
    }

    /// <summary>An engine's parameters, checked: a model never holds the wrong count or a NaN.</summary>
    private static float[] CheckedParameters(IVaeTrainingEngine engine, VaeTrainingResult result, NetworkLayout layout)
    {
        float[] parameters = result.Parameters;
        if (parameters.Length != layout.ParameterCount)
        {
            throw new InvalidOperationException(
                $"The training engine {engine.GetType().Name} returned {parameters.Length} parameters; the network has {layout.ParameterCount}.");
        }

        if (!TensorPrimitives.IsFiniteAll(parameters))
        {
            throw new InvalidOperationException($"The training engine {engine.GetType().Name} returned a NaN or infinite parameter.");
        }

        return parameters;
    }

    /// <summary>The scaled training rows; for identity scaling, the caller's own buffer (training only reads it), saving a copy.</summary>
    private float[] ScaledCopy(FeatureMatrix rows, FeatureScaler scaler)
    {
        if (scaler.IsIdentity &&
            MemoryMarshal.TryGetArray(rows.Values, out ArraySegment<float> segment) &&
            segment.Offset == 0 && segment.Count == segment.Array!.Length)
        {
            return segment.Array;
        }

        var scaled = new float[rows.RowCount * rows.ColumnCount];
        scaler.Transform(rows.Values.Span, scaled, rows.RowCount);
        return scaled;
    }

    private void ThrowIfOutsideUnitInterval(ReadOnlySpan<float> scaled, int columns)
    {
        for (int i = 0; i < scaled.Length; i++)
        {
            if (scaled[i] is < 0f or > 1f)
            {
                throw new ArgumentException(
                    $"Row {i / columns}, column {i % columns} is {scaled[i]} after {Options.Scaling} scaling, but BinaryCrossEntropy needs values in [0, 1]. " +
                    "Use FeatureScaling.MinMax or ReconstructionLoss.SquaredError.",
                    "rows");
            }
        }
    }

    /// <summary>Passes an ensemble network's epoch reports on with its <see cref="VaeEpochReport.Network"/> number.</summary>
    private sealed class NetworkProgress(IProgress<VaeEpochReport> inner, int network) : IProgress<VaeEpochReport>
    {
        public void Report(VaeEpochReport value) => inner.Report(value with { Network = network });
    }
}
