using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// Single-precision matrix product on dense row-major matrices:
/// C[m, n] = op(A) · op(B) (or C += ... when <c>accumulate</c>), where op(A) is m×k and op(B) is k×n.
/// A dense layer uses three forms: forward Y = X·W (NN), input gradient dX = dY·Wᵀ (NT),
/// weight gradient dW = Xᵀ·dY (TN).
/// </summary>
/// <remarks>
/// Paths, chosen from the shape alone: C with 1-4 columns and row-major A is a set of dot products along k
/// (<see cref="GemmSkinny"/>); depth k of 1-4 is a sum of scaled rows of B (<see cref="GemmOuter"/>); C narrower than a
/// kernel tile is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ (vectors along m); everything else is blocked and packed
/// (<see cref="GemmDriver"/>) around register-tiled micro-kernels (AVX-512 12×32 and 4×64, AVX2+FMA 6×16, or scalar 4×4).
/// Determinism: threads split C into blocks of whole columns (or rows), so each element is computed by one thread,
/// and its summation order depends only on k (every kernel runs the same in-order FMA chain per element), so results
/// are bit-identical run to run AND across thread counts on a given CPU. They differ between kernel families
/// (an AVX-512 machine and an AVX2 one round differently).
/// </remarks>
internal static unsafe class Gemm
{
    // Below this many multiply-adds a product runs on the calling thread: waking the pool would cost more than it saves.
    internal const long ParallelThreshold = 1L << 17;

    /// <remarks>
    /// With <c>transposeA</c>, A is stored k×m and used transposed; with <c>transposeB</c>, B is stored n×k.
    /// <c>pool</c> gives the threads to split the work over; null runs on the calling thread.
    /// <c>packedB</c>, when given, must hold <c>b</c> packed (<see cref="GemmPackedB.Create"/>): the product then reads
    /// it instead of packing B again, wherever its blocking matches.
    /// <c>epilogue</c> is applied to C after the product (see <see cref="GemmEpilogue"/>), with <c>epilogueOperand</c>
    /// the bias [n] or the mask [m, n].
    /// </remarks>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, WorkerPool? pool = null,
        GemmPackedB? packedB = null, GemmEpilogueKind epilogue = GemmEpilogueKind.None, ReadOnlySpan<float> epilogueOperand = default)
        => Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate, pool, GemmKernelKind.Best, packedB, epilogue, epilogueOperand);

    /// <summary>The same product on a chosen kernel family (tests use it to cover every family on one machine).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, WorkerPool? pool,
        GemmKernelKind kind, GemmPackedB? packedB = null, GemmEpilogueKind epilogue = GemmEpilogueKind.None,
        ReadOnlySpan<float> epilogueOperand = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        RequireLength(a, transposeA ? k : m, transposeA ? m : k, nameof(a));
        RequireLength(b, transposeB ? n : k, transposeB ? k : n, nameof(b));
        RequireLength(c, m, n, nameof(c));
        switch (epilogue)
        {
            case GemmEpilogueKind.ReluMask:
                RequireLength(epilogueOperand, m, n, nameof(epilogueOperand));
                break;
            case not GemmEpilogueKind.None:
                RequireLength(epilogueOperand, 1, n, nameof(epilogueOperand));
                break;
        }

        kind = Resolve(kind);
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c, pe = epilogueOperand)
        {
            var finish = new GemmEpilogue(epilogue, pe);
            if (k == 0)
            {
                if (!accumulate)
                {
                    c[..(m * n)].Clear();
                }

                finish.Apply(pc, n, 0, m, 0, n);
                return;
            }

            int threads = pool is null || (long)m * n * k < ParallelThreshold ? 1 : pool.ThreadCount;
            if (GemmSkinny.Applies(kind, transposeA, transposeB, n, k))
            {
                GemmSkinny.Multiply(transposeB, m, n, k, pa, pb, pc, accumulate, threads, pool, finish);
                return;
            }

            var problem = new GemmProblem(
                m, n, k,
                pa, transposeA ? 1 : k, transposeA ? m : 1,
                pb, transposeB ? 1 : n, transposeB ? k : 1,
                pc, n, 1,
                accumulate);

            if (GemmOuter.Applies(kind, n, k))
            {
                GemmOuter.Multiply(problem, threads, pool, finish);
                return;
            }

            // A C narrower than a kernel tile leaves vector lanes idle: compute Cᵀ instead (vectors along m).
            bool transposed = kind != GemmKernelKind.Scalar && n < TileWidth(kind) && m > n;
            if (transposed)
            {
                problem = problem.Transposed();
                packedB = null;
            }

            var task = new GemmTask(problem, kind, threads, transposeB ? null : packedB, finish, transposed);
            WorkerPool.For(pool, task.Chunks, ref task);
        }
    }

    internal static GemmKernelKind Resolve(GemmKernelKind kind)
    {
        if (kind == GemmKernelKind.Best)
        {
            return Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernelKind.Vector512
                : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernelKind.Vector256
                : GemmKernelKind.Scalar;
        }

        bool supported = kind switch
        {
            GemmKernelKind.Vector512 => Avx512F.IsSupported,
            GemmKernelKind.Vector256 => Fma.IsSupported && Avx.IsSupported,
            _ => true,
        };
        return supported ? kind : throw new PlatformNotSupportedException($"This CPU cannot run the {kind} GEMM kernel.");
    }

    internal static int TileWidth(GemmKernelKind kind) => kind == GemmKernelKind.Vector512 ? GemmKernel512.Nr : GemmKernel256.Nr;

    private static void RequireLength(ReadOnlySpan<float> span, int rows, int columns, string name)
    {
        if (span.Length < (long)rows * columns)
        {
            throw new ArgumentException(
                $"Matrix {name} ({rows}×{columns}, row-major) needs {(long)rows * columns} values but the span holds {span.Length}.",
                name);
        }
    }

    /// <summary>
    /// Part <paramref name="index"/> of <paramref name="parts"/> of [0, <paramref name="length"/>), split as evenly as
    /// whole steps of <paramref name="step"/> allow (only the last part's end is cut to the length): how every GEMM path
    /// gives its threads blocks of rows or columns.
    /// </summary>
    internal static (int Start, int End) Part(int length, int step, int index, int parts)
    {
        int units = (length + step - 1) / step;
        return ((int)((long)index * units / parts) * step, Math.Min(length, (int)((long)(index + 1) * units / parts) * step));
    }

    /// <summary>One thread's share of a product: a block of whole columns (or rows) of C.</summary>
    private readonly struct GemmTask : IWorkerPoolBody
    {
        // Columns are split in steps of a vector and rows in steps of 4, so blocks keep the kernels' tiles mostly full.
        private const int ColumnStep = 16;
        private const int RowStep = 4;

        private readonly GemmProblem _problem;
        private readonly GemmKernelKind _kind;
        private readonly GemmPackedB? _packedB;
        private readonly GemmEpilogue _epilogue;
        private readonly bool _transposed;
        private readonly bool _splitColumns;
        private readonly int _units;

        // transposed: the problem computes Cᵀ, while the epilogue works in C's coordinates.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public GemmTask(in GemmProblem problem, GemmKernelKind kind, int threads, GemmPackedB? packedB, GemmEpilogue epilogue, bool transposed)
        {
            _problem = problem;
            _kind = kind;
            _epilogue = epilogue;
            _transposed = transposed;
            int columnUnits = (problem.N + ColumnStep - 1) / ColumnStep;
            int rowUnits = (problem.M + RowStep - 1) / RowStep;

            // Splitting columns makes each thread pack all of A; splitting rows, all of B: repeat the smaller one.
            _splitColumns = problem.M <= problem.N ? columnUnits >= threads || columnUnits >= rowUnits
                : rowUnits < threads && columnUnits > rowUnits;
            _units = _splitColumns ? columnUnits : rowUnits;
            // One chunk per thread: every chunk packs the whole shared operand (all of A for column blocks), and at
            // batch 128 a second chunk per thread cost more in repacking than it won back in balance (measured:
            // 128×784×512 forward at 2 threads ran at 137-180 GFLOP/s with two chunks a thread, 264-278 with one).
            Chunks = Math.Max(1, Math.Min(threads, _units));

            // Packed panels cover all of B's columns: the driver uses them for blocks as wide as B and packs narrower
            // blocks itself.
            _packedB = packedB;
        }

        public int Chunks { get; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index, int worker)
        {
            (int i0, int i1) = _splitColumns ? (0, _problem.M) : Part(_problem.M, RowStep, index, Chunks);
            (int j0, int j1) = _splitColumns ? Part(_problem.N, ColumnStep, index, Chunks) : (0, _problem.N);
            GemmProblem block = _problem.Block(i0, i1, j0, j1);
            GemmScratch scratch = GemmScratch.Current;
            switch (_kind)
            {
                case GemmKernelKind.Vector512 when block.M <= GemmKernel512Wide.Mr:
                    GemmDriver.Run<GemmKernel512Wide>(block, scratch);
                    break;
                case GemmKernelKind.Vector512:
                    GemmDriver.Run<GemmKernel512>(block, scratch, _packedB);
                    break;
                case GemmKernelKind.Vector256:
                    GemmDriver.Run<GemmKernel256>(block, scratch, _packedB);
                    break;
                default:
                    GemmDriver.Run<GemmKernelScalar>(block, scratch);
                    break;
            }

            if (_transposed)
            {
                _epilogue.Apply(_problem.C, _problem.ColStrideC, j0, j1, i0, i1);
            }
            else
            {
                _epilogue.Apply(_problem.C, _problem.RowStrideC, i0, i1, j0, j1);
            }
        }
    }
}
