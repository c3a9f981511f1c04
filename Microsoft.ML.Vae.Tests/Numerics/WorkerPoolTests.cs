using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Tests.Numerics;

[TestClass]
public sealed class WorkerPoolTests
{
    [TestMethod]
    public void RunsEveryIndexOnceOnValidWorkers()
    {
        using var pool = new WorkerPool(3);
        for (int round = 0; round < 50; round++)
        {
            int count = 1 + round * 7;
            var body = new CountingBody(new int[count], new int[pool.ThreadCount], pool.ThreadCount);
            pool.For(count, ref body);
            CollectionAssert.AreEqual(Enumerable.Repeat(1, count).ToArray(), body.Hits, $"count {count}");
            Assert.AreEqual(count, body.PerWorker.Sum());
        }
    }

    [TestMethod]
    public void AcceptsRefStructBodiesOverSpans()
    {
        using var pool = new WorkerPool(2);
        Span<float> values = stackalloc float[64];
        var body = new SquareBody(values);
        pool.For(values.Length, ref body);
        Assert.AreEqual(63f * 63f, values[63]);
        Assert.AreEqual(5f * 5f, values[5]);
    }

    [TestMethod]
    public void RethrowsTheBodysExceptionAndStaysUsable()
    {
        using var pool = new WorkerPool(2);
        // The body stays a local: captured by a lambda it would live in a closure on the heap, where the pool's raw
        // pointer to it goes stale when the GC moves the closure (seen as "item 0" under load).
        var failing = new ThrowingBody(13);
        string? message = null;
        try
        {
            pool.For(40, ref failing);
        }
        catch (InvalidOperationException e)
        {
            message = e.Message;
        }

        Assert.AreEqual("item 13", message);
        var body = new CountingBody(new int[10], new int[2], 2);
        pool.For(10, ref body);
        Assert.AreEqual(10, body.Hits.Sum());
    }

    [TestMethod]
    public void NestedLoopsRunInline()
    {
        using var pool = new WorkerPool(2);
        var body = new NestedBody(pool, new int[8 * 8]);
        pool.For(8, ref body);
        CollectionAssert.AreEqual(Enumerable.Repeat(1, 64).ToArray(), body.Hits);
    }

    [TestMethod]
    public void WakesAfterSleeping()
    {
        using var pool = new WorkerPool(2);
        var body = new CountingBody(new int[4], new int[2], 2);
        pool.For(4, ref body);
        Thread.Sleep(300); // past the spin window: the pool thread is asleep
        body = new CountingBody(new int[4], new int[2], 2);
        pool.For(4, ref body);
        Assert.AreEqual(4, body.Hits.Sum());
    }

    [TestMethod]
    public void RejectsBadThreadCountAndUseAfterDispose()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new WorkerPool(0));
        var pool = new WorkerPool(2);
        pool.Dispose();
        pool.Dispose();
        var body = new CountingBody(new int[1], new int[2], 2);
        Assert.ThrowsExactly<ObjectDisposedException>(() => pool.For(1, ref body));
        Assert.AreEqual(7, WorkerPool.Resolve(7));
        Assert.AreEqual(Environment.ProcessorCount, WorkerPool.Resolve(0));
    }

    private readonly struct CountingBody(int[] hits, int[] perWorker, int threads) : IWorkerPoolBody
    {
        public int[] Hits { get; } = hits;

        public int[] PerWorker { get; } = perWorker;

        public void Invoke(int index, int worker)
        {
            Assert.IsTrue(worker >= 0 && worker < threads, $"worker {worker}");
            Interlocked.Increment(ref Hits[index]);
            Interlocked.Increment(ref PerWorker[worker]);
        }
    }

    private readonly ref struct SquareBody(Span<float> values) : IWorkerPoolBody
    {
        private readonly Span<float> _values = values;

        public void Invoke(int index, int worker) => _values[index] = index * (float)index;
    }

    private readonly struct ThrowingBody(int bad) : IWorkerPoolBody
    {
        public void Invoke(int index, int worker)
        {
            if (index == bad)
            {
                throw new InvalidOperationException($"item {index}");
            }
        }
    }

    private readonly struct NestedBody(WorkerPool pool, int[] hits) : IWorkerPoolBody
    {
        public int[] Hits { get; } = hits;

        public void Invoke(int index, int worker)
        {
            var inner = new CountingBody(new int[8], new int[2], 2);
            pool.For(8, ref inner);
            for (int j = 0; j < 8; j++)
            {
                Interlocked.Add(ref Hits[index * 8 + j], inner.Hits[j]);
            }
        }
    }
}
