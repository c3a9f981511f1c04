using System.Diagnostics;

namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary>
/// The scorer releases what it takes from ONNX Runtime: Dispose frees the native session at once (not at
/// finalization), and 10,000 load/score/dispose cycles, failed loads among them, leave the process's resident memory,
/// threads and open handles where they were. Runs alone: the figures are process-wide.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class OnnxVaeScorerLeakTests
{
    private const long MiB = 1 << 20;

    [TestMethod]
    public void DisposeReleasesTheNativeSessionAtOnce()
    {
        // An inference session with 3 intra-op threads runs 2 native pool threads, which only the session's release joins: they
        // show whether Dispose released it there and then (a collection could also release it, through finalizers).
        const int scorerCount = 6, poolThreads = 2 * scorerCount;
        byte[] model = TinyVaeGraph.Build();
        float[] x = OnnxVaeScorerTests.Rows(8, seed: 1);
        int before = ThreadCount();
        var scorers = new OnnxVaeScorer[scorerCount];
        for (int i = 0; i < scorerCount; i++)
        {
            scorers[i] = new OnnxVaeScorer(model, threadCount: 3);
            _ = OnnxVaeScorerTests.Score(scorers[i], x, 8);
        }

        int open = ThreadCount();
        foreach (OnnxVaeScorer scorer in scorers)
        {
            scorer.Dispose();
        }

        int disposed = ThreadCount();
        GC.KeepAlive(scorers);
        // Slack of 2 for threads the .NET runtime starts or ends on its own meanwhile.
        Assert.IsGreaterThanOrEqualTo(before + poolThreads - 2, open, $"{before} threads before, {open} with the scorers open");
        Assert.IsLessThanOrEqualTo(open - poolThreads + 2, disposed, $"{open} threads with the scorers open, {disposed} after Dispose");

        scorers[0].Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => scorers[0].Score(x, [], [], [], [], new float[8], []));
    }

    [TestMethod]
    public void TenThousandScorersLeaveNothingBehind()
    {
        byte[] model = TinyVaeGraph.Build();
        byte[] notVae = TinyVaeGraph.Build(inputName: "X");
        float[] x = OnnxVaeScorerTests.Rows(8, seed: 1);

        void Cycle(int i)
        {
            // Every tenth scorer gets an intra-op pool (one native thread, which only its release joins); not all, as
            // starting and joining threads doubles a cycle's time.
            using (var scorer = new OnnxVaeScorer(model, threadCount: i % 10 == 1 ? 2 : 1))
            {
                _ = OnnxVaeScorerTests.Score(scorer, x, 8);
                scorer.Score(x, [], [], [], [], new float[8], []);
            }

            if (i % 100 == 0)
            {
                // A model that loads and is then rejected, and bytes the runtime refuses outright.
                Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer(notVae));
                Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer("not onnx"u8));
            }
        }

        // Warm-up: the runtime's one-off allocations (environment, kernel registries, arenas) are not leaks.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, 500, parallel, Cycle);

        (long memory, int threads, int handles) = Settled();
        var clock = Stopwatch.StartNew();
        Parallel.For(0, 10_000, parallel, Cycle);
        clock.Stop();
        (long memoryAfter, int threadsAfter, int handlesAfter) = Settled();
        // A leaked inference session keeps far more than 64 MiB / 10,000 (its graph, kernels and buffers), and every tenth a thread;
        // the slack covers the managed heap and the .NET thread pool, which move by tens of MiB and a few threads.
        Assert.IsLessThan(64 * MiB, memoryAfter - memory, $"resident memory grew from {memory / MiB} to {memoryAfter / MiB} MiB in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.IsLessThanOrEqualTo(threads + 8, threadsAfter, $"threads: {threads} before, {threadsAfter} after");
        Assert.IsLessThanOrEqualTo(handles + 8, handlesAfter, $"open handles: {handles} before, {handlesAfter} after");
    }

    /// <summary>Resident memory, threads and open handles once every finalizer has run.</summary>
    private static (long Memory, int Threads, int Handles) Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, process.Threads.Count, process.HandleCount);
    }

    private static int ThreadCount()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count;
    }
}
