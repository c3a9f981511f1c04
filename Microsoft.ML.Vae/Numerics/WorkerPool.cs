namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// A fixed set of threads that numeric kernels split their work over.
/// Kernels partition work by output element so that results do not depend on scheduling:
/// the same thread count gives bit-identical results.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    public WorkerPool(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
    }

    /// <summary>Number of threads work is split over (the caller's thread included).</summary>
    public int ThreadCount { get; }

    /// <summary>Resolves the user's ThreadCount option (0 = all cores).</summary>
    public static int Resolve(int requested) => requested > 0 ? requested : Environment.ProcessorCount;

    public void Dispose()
    {
    }
}
