namespace Microsoft.ML.Vae.Tests;

/// <summary>Measures what an action allocates on the calling thread once it has warmed up.</summary>
internal static class Allocations
{
    /// <summary>
    /// The fewest bytes <paramref name="action"/> allocated on this thread in up to 20 measurements, stopping at the
    /// first that allocated nothing. Other tests running in parallel trigger collections, which retire this thread's
    /// allocation context (counted as up to 8 KB "allocated"), and the runtime's tiered JIT occasionally allocates on
    /// the thread that reaches a method's switch to optimized code. Neither repeats every time; an allocation in the
    /// action itself does, so a nonzero result still means the action allocates.
    /// </summary>
    public static long SteadyState(Action action)
    {
        action(); // warm-up: per-thread buffers, first calls
        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < 20 && fewest != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
