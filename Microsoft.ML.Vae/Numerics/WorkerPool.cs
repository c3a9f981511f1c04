using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// A fixed set of threads that numeric kernels split their work over, with a cheap fork/join:
/// <see cref="For{TBody}(int, ref TBody)"/> wakes the pool threads (which spin briefly, then sleep, between loops),
/// runs items on them and on the calling thread, and returns when all items are done. It allocates nothing.
/// Kernels partition work by output element so that results do not depend on scheduling:
/// the same thread count gives bit-identical results.
/// </summary>
/// <remarks>
/// The caller never waits for a pool thread that has not joined the loop yet (on a busy machine it may not be
/// scheduled for a while): it takes the remaining items itself, then waits only for threads that joined.
/// Joining is a compare-and-swap on <see cref="_join"/> = (loop generation, number of threads inside), which the
/// caller closes at the end, so a late thread can never touch a finished loop's body.
/// <para>
/// The methods a training step or a scoring chunk runs, from the trainer's loop down to the kernels, carry
/// <see cref="MethodImplOptions.AggressiveOptimization"/>: they are compiled fully optimized on first call, not first as
/// slow tier-0 code and then again on the runtime's background compiler thread, which otherwise competes with the pool
/// for the cores while training starts. Measured on MNIST at 2 threads (seed model): without it the first 50-100 steps
/// took 5-8 ms (some up to 18 ms) instead of 3.5; 2-epoch training ran at 27.9-31.3k rows/s against 28.2-32.2k with it
/// (784-400-20: 45.1-46.1k against 46.3-48.0k), in alternating runs, with the same losses.
/// </para>
/// </remarks>
internal sealed unsafe class WorkerPool : IDisposable
{
    // How long an idle thread spins before sleeping: long enough to bridge the gaps between the products of one
    // training step (waking then costs ~100 ns, not a futex round trip), short enough not to burn a core when idle.
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private const long Closed = 1L << 31;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _wake;

    // The caller sleeps on this gate (Monitor: no lazily allocated objects, unlike ManualResetEventSlim).
    private readonly object _doneGate = new();
    private int _callerSleeping;

    // The current loop: set by the caller before it publishes the generation; stable while any thread is inside.
    private delegate*<void*, int, int, void> _invoke;
    private void* _body;
    private int _count;
    private int _nextIndex;
    private Exception? _failure;

    private int _generation;
    private long _join = Closed;
    private int _busy;
    private volatile bool _disposed;

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
    /// Runs <c>body.Invoke(i, 0)</c> for every i in [0, count) on the calling thread when <paramref name="pool"/> is
    /// null, otherwise as <see cref="For{TBody}(int, ref TBody)"/> on the pool.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void For<TBody>(WorkerPool? pool, int count, ref TBody body)
        where TBody : struct, IWorkerPoolBody, allows ref struct
    {
        if (pool is not null)
        {
            pool.For(count, ref body);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            body.Invoke(i, 0);
        }
    }

    /// <summary>
    /// Runs <c>body.Invoke(i, worker)</c> for every i in [0, count) on the pool's threads and the caller's, and
    /// returns when all have finished. Items are handed out dynamically, so a body must not depend on which thread
    /// runs it (other than to choose scratch buffers by <c>worker</c>, 0 = the caller). A nested or concurrent call
    /// runs its items on the calling thread instead. The first exception thrown by a body is rethrown here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

        // The body stays where the caller keeps it until this method returns, so threads reach it through a pointer.
        _invoke = &InvokeBody<TBody>;
        _body = Unsafe.AsPointer(ref body);
        _count = count;
        _nextIndex = 0;
        _failure = null;
        int generation = _generation + 1;
        Volatile.Write(ref _join, (long)generation << 32);
        Volatile.Write(ref _generation, generation);
        foreach (ManualResetEventSlim wake in _wake)
        {
            wake.Set();
        }

        RunItems(0);

        // Every item is taken; close the loop once no thread is inside it.
        long open = (long)generation << 32;
        long start = Stopwatch.GetTimestamp();
        while (Interlocked.CompareExchange(ref _join, open | Closed, open) != open)
        {
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                Thread.SpinWait(8);
            }
            else
            {
                lock (_doneGate)
                {
                    // Full fences on both sides: either we see the last thread leave, or it sees us sleeping.
                    Interlocked.Exchange(ref _callerSleeping, 1);
                    while (Volatile.Read(ref _join) != open)
                    {
                        Monitor.Wait(_doneGate);
                    }

                    Interlocked.Exchange(ref _callerSleeping, 0);
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
    }

    private static void InvokeBody<TBody>(void* body, int index, int worker)
        where TBody : struct, IWorkerPoolBody, allows ref struct
        => Unsafe.AsRef<TBody>(body).Invoke(index, worker);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunItems(int worker)
    {
        int count = _count;
        while (true)
        {
            int index = Interlocked.Increment(ref _nextIndex) - 1;
            if (index >= count)
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

    /// <summary>Enters loop <paramref name="generation"/> if it is still open.</summary>
    private bool TryJoin(int generation)
    {
        long current = Volatile.Read(ref _join);
        while ((int)(current >> 32) == generation && (current & Closed) == 0)
        {
            long seen = Interlocked.CompareExchange(ref _join, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

            seen = Volatile.Read(ref _generation);
            if (_disposed)
            {
                return;
            }

            if (TryJoin(seen))
            {
                RunItems(worker);
                if ((int)Interlocked.Decrement(ref _join) == 0 && Volatile.Read(ref _callerSleeping) != 0)
                {
                    lock (_doneGate)
                    {
                        Monitor.PulseAll(_doneGate);
                    }
                }
            }
        }
    }
}
