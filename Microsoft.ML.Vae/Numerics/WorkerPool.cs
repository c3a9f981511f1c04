using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// A fixed set of threads that numeric kernels split their work over, with a cheap fork/join:
/// <see cref="For{TBody}(int, ref TBody)"/> wakes the pool threads (spinning briefly, then sleeping, between calls),
/// runs items on them and on the calling thread, and returns when all are done. It allocates nothing.
/// Kernels partition work by output element so that results do not depend on scheduling:
/// the same thread count gives bit-identical results.
/// </summary>
internal sealed unsafe class WorkerPool : IDisposable
{
    // How long an idle thread spins before sleeping: long enough to bridge the gaps between the products of one
    // training step (so waking costs ~100 ns, not a futex round trip), short enough not to burn a core when idle.
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _wake;
    private readonly ManualResetEventSlim _done = new(false, 0);

    // The current loop, published to the pool threads by bumping _generation.
    private delegate*<void*, int, int, void> _invoke;
    private void* _body;
    private int _count;
    private int _nextIndex;
    private int _pending;
    private int _generation;
    private int _busy;
    private volatile bool _disposed;
    private Exception? _failure;

    public WorkerPool(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        _threads = new Thread[threadCount - 1];
        _wake = new ManualResetEventSlim[threadCount - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _wake[i] = new ManualResetEventSlim(false, 0);
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"VaeMl worker {i + 1}" };
            _threads[i].Start(i + 1);
        }
    }

    /// <summary>Number of threads work is split over (the caller's thread included).</summary>
    public int ThreadCount { get; }

    /// <summary>Resolves the user's ThreadCount option (0 = all cores).</summary>
    public static int Resolve(int requested) => requested > 0 ? requested : Environment.ProcessorCount;

    /// <summary>
    /// Runs <c>body.Invoke(i, worker)</c> for every i in [0, count) on the pool's threads and the caller's, and
    /// returns when all have finished. Items are handed out dynamically, so a body must not depend on which thread
    /// runs it (other than to choose scratch buffers by <c>worker</c>). A nested or concurrent call runs its items
    /// on the calling thread instead. The first exception thrown by a body is rethrown here.
    /// </summary>
    public void For<TBody>(int count, ref TBody body)
        where TBody : struct, IWorkerPoolBody, allows ref struct
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count <= 0)
        {
            return;
        }

        if (count == 1 || _threads.Length == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++)
            {
                body.Invoke(i, 0);
            }

            return;
        }

        // The body stays on the caller's stack (or wherever the caller keeps it) until the join below,
        // so the pool threads can reach it through a pointer.
        _invoke = &InvokeBody<TBody>;
        _body = Unsafe.AsPointer(ref body);
        _count = count;
        _nextIndex = 0;
        _failure = null;
        _pending = _threads.Length;
        Interlocked.Increment(ref _generation);
        foreach (ManualResetEventSlim wake in _wake)
        {
            wake.Set();
        }

        RunItems(0);
        long start = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _pending) != 0)
        {
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                Thread.SpinWait(8);
            }
            else
            {
                // A late Set from the previous loop may still arrive: reset, re-check, then sleep.
                _done.Reset();
                if (Volatile.Read(ref _pending) != 0)
                {
                    _done.Wait();
                }
            }
        }

        _body = null;
        Exception? failure = _failure;
        _failure = null;
        Volatile.Write(ref _busy, 0);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Interlocked.Increment(ref _generation);
        foreach (ManualResetEventSlim wake in _wake)
        {
            wake.Set();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        foreach (ManualResetEventSlim wake in _wake)
        {
            wake.Dispose();
        }

        _done.Dispose();
    }

    private static void InvokeBody<TBody>(void* body, int index, int worker)
        where TBody : struct, IWorkerPoolBody, allows ref struct
        => Unsafe.AsRef<TBody>(body).Invoke(index, worker);

    private void RunItems(int worker)
    {
        while (true)
        {
            int index = Interlocked.Increment(ref _nextIndex) - 1;
            if (index >= _count)
            {
                return;
            }

            try
            {
                _invoke(_body, index, worker);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
        }
    }

    private void WorkerLoop(object? state)
    {
        int worker = (int)state!;
        ManualResetEventSlim wake = _wake[worker - 1];
        int seen = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(8);
                    continue;
                }

                // Reset, then re-check: a Set that raced with the Reset is seen through _generation.
                wake.Reset();
                if (Volatile.Read(ref _generation) == seen)
                {
                    wake.Wait();
                }
            }

            // The caller starts no new loop until this thread has finished the current one, so no generation is skipped.
            seen = Volatile.Read(ref _generation);
            if (_disposed)
            {
                return;
            }

            RunItems(worker);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }
}
