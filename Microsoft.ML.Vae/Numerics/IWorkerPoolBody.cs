namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// The loop body of <see cref="WorkerPool.For{TBody}(int, ref TBody)"/>: a struct (ref structs allowed, so it may
/// hold spans) passed by reference, so a parallel loop allocates nothing.
/// </summary>
internal interface IWorkerPoolBody
{
    /// <summary>Runs item <paramref name="index"/> on the thread numbered <paramref name="worker"/>
    /// (0 = the caller, 1..ThreadCount-1 = pool threads): use <paramref name="worker"/> to pick per-thread scratch.</summary>
    void Invoke(int index, int worker);
}
