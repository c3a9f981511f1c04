using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// Products of depth k ≤ <see cref="MaxDepth"/> (a decoder's first layer when the latent space has 1-4 dimensions): each
/// row of C is a sum of k scaled rows of op(B), written row after row along n. On the blocked path, 1024×2×256 ran at
/// 23 GFLOP/s on one thread against OpenBLAS's 32-34; on this one at 40.
/// </summary>
/// <remarks>
/// Every element gets the kernels' chain, acc = 0 then acc = fma(A(i,p), B(p,j), acc) for p in order, then
/// C = acc or C + acc, so results are the blocked path's bits, for any split of rows over threads.
/// </remarks>
internal static unsafe class GemmOuter
{
    public const int MaxDepth = 4;

    /// <summary>Whether this path computes the product (it needs AVX-512 and a C at least a vector wide).</summary>
    public static bool Applies(GemmKernelKind kind, int n, int k) =>
        kind == GemmKernelKind.Vector512 && k <= MaxDepth && n >= 16 && (long)k * GemmDriver.RoundUp(n, 16) <= GemmScratch.BCapacity;

    /// <summary>C = (or +=) A · op(B), rows split over <paramref name="threads"/>, each finishing its rows with the epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(in GemmProblem problem, int threads, WorkerPool? pool, GemmEpilogue epilogue)
    {
        var task = new OuterTask(problem, Math.Max(1, Math.Min(threads, problem.M / 16)), epilogue);
        WorkerPool.For(pool, task.Chunks, ref task);
    }

    // NoInlining: see VectorMath.BinaryCrossEntropy (vector loops run by pool threads stay methods of their own).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Rows(in GemmProblem problem, float* b, int ldb, int i0, int i1)
    {
        int n = problem.N, k = problem.K;
        int ldc = problem.RowStrideC;
        bool overwrite = !problem.Accumulate;
        Vector512<int> lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        Vector512<float> tail = Vector512.LessThan(lanes, Vector512.Create(n % 16)).AsSingle();
        for (int i = i0; i < i1; i++)
        {
            float* a = problem.A + ((nint)i * problem.RowStrideA);
            Vector512<float> a0 = Vector512.Create(a[0]);
            Vector512<float> a1 = k > 1 ? Vector512.Create(a[problem.ColStrideA]) : default;
            Vector512<float> a2 = k > 2 ? Vector512.Create(a[2 * problem.ColStrideA]) : default;
            Vector512<float> a3 = k > 3 ? Vector512.Create(a[3 * problem.ColStrideA]) : default;
            float* c = problem.C + ((nint)i * ldc);
            int j = 0;
            for (; j <= n - 16; j += 16)
            {
                Vector512<float> acc = Row(b + j, ldb, k, a0, a1, a2, a3);
                (overwrite ? acc : acc + Vector512.Load(c + j)).Store(c + j);
            }

            if (j < n)
            {
                // op(B) rows are padded with zeros to a multiple of 16 (see OuterTask.Invoke): the loads stay in bounds.
                Vector512<float> acc = Row(b + j, ldb, k, a0, a1, a2, a3);
                if (!overwrite)
                {
                    acc += Avx512F.MaskLoad(c + j, tail, Vector512<float>.Zero);
                }

                Avx512F.MaskStore(c + j, tail, acc);
            }
        }
    }

    /// <summary>Σ_p a_p · op(B)[p, j..j+16) as the kernels chain it, op(B) rows <paramref name="ldb"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(
        float* b, int ldb, int k, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        Vector512<float> acc = Avx512F.FusedMultiplyAdd(a0, Vector512.Load(b), Vector512<float>.Zero);
        if (k > 1)
        {
            acc = Avx512F.FusedMultiplyAdd(a1, Vector512.Load(b + ldb), acc);
        }

        if (k > 2)
        {
            acc = Avx512F.FusedMultiplyAdd(a2, Vector512.Load(b + (2 * ldb)), acc);
        }

        if (k > 3)
        {
            acc = Avx512F.FusedMultiplyAdd(a3, Vector512.Load(b + (3 * ldb)), acc);
        }

        return acc;
    }

    /// <summary>One thread's rows (in steps of 4), with op(B) copied into the thread's scratch as k padded rows.</summary>
    private readonly struct OuterTask(GemmProblem problem, int chunks, GemmEpilogue epilogue) : IWorkerPoolBody
    {
        public int Chunks => chunks;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index, int worker)
        {
            (int i0, int i1) = Gemm.Part(problem.M, 4, index, chunks);
            int n = problem.N, k = problem.K, ldb = GemmDriver.RoundUp(n, 16);
            float* b = GemmScratch.Current.EnsureB(k * ldb);
            for (int p = 0; p < k; p++)
            {
                float* row = b + ((nint)p * ldb);
                for (int j = 0; j < n; j++)
                {
                    row[j] = problem.B[((nint)p * problem.RowStrideB) + ((nint)j * problem.ColStrideB)];
                }

                new Span<float>(row + n, ldb - n).Clear();
            }

            Rows(problem, b, ldb, i0, i1);
            epilogue.Apply(problem.C, problem.RowStrideC, i0, i1, 0, n);
        }
    }
}
