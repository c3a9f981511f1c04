namespace Microsoft.ML.Vae.Training;

/// <summary>The default engine: the library's own numerics (<see cref="ManagedTrainingBackend"/>) under the shared epoch loop.</summary>
internal sealed class ManagedTrainingEngine : IVaeTrainingEngine
{
    public static ManagedTrainingEngine Instance { get; } = new();

    public VaeTrainingResult Train(VaeTrainingRequest request, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken)
    {
        using var backend = new ManagedTrainingBackend(request);
        return VaeTrainer.Train(request, backend, progress, cancellationToken);
    }
}
