using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The library's own numerics under the epoch loop: <see cref="TrainingStep"/>, <see cref="Adam"/> and
/// <see cref="GradientClipping"/> on flat buffers, split over a <see cref="WorkerPool"/> when more than one thread is
/// asked for. Everything a step touches is allocated here, once.
/// </summary>
internal sealed class ManagedTrainingBackend : ITrainingBackend
{
    private readonly VaeTrainingRequest _request;
    private readonly float[] _parameters;
    private readonly WorkerPool? _pool;
    private readonly TrainingStep _step;
    private readonly Adam _adam;
    private readonly float[] _gradients;
    private readonly GradientClipping _clipping;
    private readonly float[] _batch;
    private readonly float[] _eps;
    private readonly float[] _validation;
    private readonly float[] _zeroNoise;
    private readonly float[] _corrupted;
    private readonly DeterministicRandom _corruption;
    private readonly DecoderVariance? _variance;
    private float[]? _best;

    public ManagedTrainingBackend(VaeTrainingRequest request)
    {
        NetworkLayout layout = request.Layout;
        _request = request;
        _parameters = request.InitialParameters.ToArray();
        int threads = WorkerPool.Resolve(request.Options.ThreadCount);
        _pool = threads > 1 ? new WorkerPool(threads) : null;
        _step = new TrainingStep(layout, request.BatchSize, _pool);
        _adam = new Adam(_parameters.Length, request.Options.LearningRate);
        _gradients = new float[_parameters.Length];
        _clipping = new GradientClipping(_parameters.Length);
        _batch = new float[request.BatchSize * layout.FeatureCount];
        _eps = new float[request.BatchSize * layout.LatentDimension];
        _validation = new float[request.ValidationRows.Length * layout.FeatureCount];
        MiniBatch.Gather(request.Rows.Span, layout.FeatureCount, request.ValidationRows.Span, _validation);
        _zeroNoise = new float[request.ValidationRows.Length * layout.LatentDimension];
        _corrupted = request.Options.InputNoise > 0 ? new float[request.BatchSize * layout.FeatureCount] : _batch;
        _corruption = new DeterministicRandom(request.Options.Seed ^ VaeTrainer.CorruptionStream);
        _variance = layout.Loss == ReconstructionLoss.Gaussian ? new DecoderVariance(layout.FeatureCount) : null;
    }

    public (BatchLoss Loss, float GradientNorm) Step(ReadOnlySpan<int> rows, DeterministicRandom noise, float klWeight)
    {
        NetworkLayout layout = _request.Layout;
        int count = rows.Length;
        MiniBatch.Fill(_request.Rows.Span, layout.FeatureCount, rows, _batch, noise, _eps.AsSpan(0, count * layout.LatentDimension), _pool);
        float inputNoise = _request.Options.InputNoise;
        if (inputNoise > 0)
        {
            SaltAndPepper.Corrupt(_batch.AsSpan(0, count * layout.FeatureCount), _corrupted, inputNoise, _corruption);
        }

        BatchLoss loss = _step.Run(_parameters, _corrupted, _batch, count, _eps, klWeight, _gradients);
        if (!double.IsFinite(loss.Total))
        {
            return (loss, float.NaN);
        }

        _variance?.Add(_step.SquaredErrors, count);

        // Without clipping, the norm comes out of the Adam pass itself (the parameters it then spoils, if it is not
        // finite, are thrown away with the loop's exception).
        float clipNorm = _request.Options.GradientClipNorm;
        if (clipNorm > 0)
        {
            float norm = _clipping.Clip(_gradients, clipNorm, _pool);
            _adam.Step(_parameters, _gradients, _pool);
            return (loss, norm);
        }

        return (loss, (float)Math.Sqrt(_adam.Step(_parameters, _gradients, _pool)));
    }

    public void EndEpoch()
    {
        NetworkLayout layout = _request.Layout;
        _variance?.Update(_parameters.AsSpan(layout.OutputLogVarianceOffset, layout.FeatureCount));
    }

    public double ValidationLoss()
    {
        NetworkLayout layout = _request.Layout;
        return VaeTrainer.EvaluateScaled(
            _step, _parameters, _validation, _request.ValidationRows.Length, layout.FeatureCount, layout.LatentDimension, _request.Options.Beta,
            _zeroNoise).Total;
    }

    public void KeepBest()
    {
        _best ??= new float[_parameters.Length];
        _parameters.CopyTo(_best, 0);
    }

    public float[] Parameters(bool best) => best && _best is not null ? _best : _parameters;

    public void Dispose() => _pool?.Dispose();
}
