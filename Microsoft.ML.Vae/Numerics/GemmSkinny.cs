using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// Products with at most <see cref="MaxColumns"/> output columns and A's rows contiguous (a layer with 1-4 outputs,
/// e.g. the 2-wide latent heads, forward and input gradient): each C element is a dot product along k, vectorized
/// along k, 4 rows at a time. Packing A for a 32-column tile would cost more than the whole product.
/// </summary>
/// <remarks>
/// Each element's summation order (16 lane sums in k order, a fixed reduction tree, then the k tail in order) depends
/// only on k, so results do not depend on how rows are split over threads.
/// </remarks>
internal static unsafe class GemmSkinny
{
    public const int MaxColumns = 4;

    /// <summary>Whether this path computes the product (it needs AVX-512 and row-major A).</summary>
    public static bool Applies(GemmKernelKind kind, bool transposeA, bool transposeB, int n, int k)
        => kind == GemmKernelKind.Vector512 && !transposeA && n <= MaxColumns
           && (transposeB || (long)n * k <= GemmScratch.BCapacity);

    /// <summary>
    /// C[m, n] (=|+=) A[m, k] · op(B), rows split over <paramref name="threads"/> threads of the pool, each finishing its
    /// rows with <paramref name="epilogue"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(
        bool transposeB, int m, int n, int k, float* a, float* b, float* c, bool accumulate, int threads, WorkerPool? pool,
        GemmEpilogue epilogue)
    {
        var task = new SkinnyTask(transposeB, m, n, k, a, b, c, accumulate, Math.Max(1, Math.Min(threads, m / 16)), epilogue);
        WorkerPool.For(pool, task.Chunks, ref task);
    }

    /// <summary>
    /// C[i, j] (=|+=) Σ_p a[i*k + p] · bt[j*k + p] for rows i in [i0, i1) and j &lt; n (≤ 4); C rows are n apart.
    /// </summary>
    public static void Run(float* a, float* bt, float* c, int n, int k, int i0, int i1, bool accumulate)
    {
        switch (n)
        {
            case 1: Rows<GemmRows1>(a, bt, c, k, i0, i1, accumulate); break;
            case 2: Rows<GemmRows2>(a, bt, c, k, i0, i1, accumulate); break;
            case 3: Rows<GemmRows3>(a, bt, c, k, i0, i1, accumulate); break;
            case 4: Rows<GemmRows4>(a, bt, c, k, i0, i1, accumulate); break;
            default: throw new ArgumentOutOfRangeException(nameof(n));
        }
    }

    // NoInlining: see VectorMath.BinaryCrossEntropy (vector loops run by pool threads stay methods of their own).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TCols>(float* a, float* bt, float* c, int k, int i0, int i1, bool accumulate)
        where TCols : struct, IGemmRowCount
    {
        int i = i0;
        for (; i <= i1 - 4; i += 4)
        {
            Block<GemmRows4, TCols>(a + (nint)i * k, bt, c + i * TCols.Value, k, accumulate);
        }

        for (; i < i1; i++)
        {
            Block<GemmRows1, TCols>(a + (nint)i * k, bt, c + i * TCols.Value, k, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TRows, TCols>(float* a, float* bt, float* c, int k, bool accumulate)
        where TRows : struct, IGemmRowCount
        where TCols : struct, IGemmRowCount
    {
        int rows = TRows.Value, cols = TCols.Value;
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        int p = 0;
        for (; p <= k - 16; p += 16)
        {
            Vector512<float> b0 = Vector512.Load(bt + p);
            Vector512<float> b1 = cols > 1 ? Vector512.Load(bt + k + p) : default;
            Vector512<float> b2 = cols > 2 ? Vector512.Load(bt + 2 * k + p) : default;
            Vector512<float> b3 = cols > 3 ? Vector512.Load(bt + 3 * k + p) : default;
            Vector512<float> x = Vector512.Load(a + p);
            s00 = Avx512F.FusedMultiplyAdd(x, b0, s00);
            if (cols > 1) { s01 = Avx512F.FusedMultiplyAdd(x, b1, s01); }
            if (cols > 2) { s02 = Avx512F.FusedMultiplyAdd(x, b2, s02); }
            if (cols > 3) { s03 = Avx512F.FusedMultiplyAdd(x, b3, s03); }
            if (rows > 1)
            {
                x = Vector512.Load(a + k + p);
                s10 = Avx512F.FusedMultiplyAdd(x, b0, s10);
                if (cols > 1) { s11 = Avx512F.FusedMultiplyAdd(x, b1, s11); }
                if (cols > 2) { s12 = Avx512F.FusedMultiplyAdd(x, b2, s12); }
                if (cols > 3) { s13 = Avx512F.FusedMultiplyAdd(x, b3, s13); }
                x = Vector512.Load(a + 2 * k + p);
                s20 = Avx512F.FusedMultiplyAdd(x, b0, s20);
                if (cols > 1) { s21 = Avx512F.FusedMultiplyAdd(x, b1, s21); }
                if (cols > 2) { s22 = Avx512F.FusedMultiplyAdd(x, b2, s22); }
                if (cols > 3) { s23 = Avx512F.FusedMultiplyAdd(x, b3, s23); }
                x = Vector512.Load(a + 3 * k + p);
                s30 = Avx512F.FusedMultiplyAdd(x, b0, s30);
                if (cols > 1) { s31 = Avx512F.FusedMultiplyAdd(x, b1, s31); }
                if (cols > 2) { s32 = Avx512F.FusedMultiplyAdd(x, b2, s32); }
                if (cols > 3) { s33 = Avx512F.FusedMultiplyAdd(x, b3, s33); }
            }
        }

        // Sums of rows 0-1 (lanes 0-3: row 0, columns 0-3; lanes 4-7: row 1) and rows 2-3.
        Vector256<float> sums01 = Reduce8(s00, s01, s02, s03, s10, s11, s12, s13);
        Finish(a, bt, c, k, p, accumulate, cols, sums01, 0);
        if (rows > 1)
        {
            Vector256<float> sums23 = Reduce8(s20, s21, s22, s23, s30, s31, s32, s33);
            Finish(a + k, bt, c + cols, k, p, accumulate, cols, sums01, 4);
            Finish(a + 2 * k, bt, c + 2 * cols, k, p, accumulate, cols, sums23, 0);
            Finish(a + 3 * k, bt, c + 3 * cols, k, p, accumulate, cols, sums23, 4);
        }
    }

    /// <summary>
    /// Lane i of the result = the sum of the 16 lanes of v_i, by a fixed tree that depends only on v_i (so a value is
    /// reduced identically in any position): 25 instructions for 8 sums instead of 8 separate reductions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce8(
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3,
        Vector512<float> v4, Vector512<float> v5, Vector512<float> v6, Vector512<float> v7)
    {
        Vector256<float> h01 = Avx.HorizontalAdd(Fold(v0), Fold(v1)), h23 = Avx.HorizontalAdd(Fold(v2), Fold(v3));
        Vector256<float> h45 = Avx.HorizontalAdd(Fold(v4), Fold(v5)), h67 = Avx.HorizontalAdd(Fold(v6), Fold(v7));
        Vector256<float> q0 = Avx.HorizontalAdd(h01, h23), q1 = Avx.HorizontalAdd(h45, h67);
        return Avx.Permute2x128(q0, q1, 0x20) + Avx.Permute2x128(q0, q1, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fold(Vector512<float> v) => v.GetLower() + v.GetUpper();

    /// <summary>Adds the k tail in order to one row's sums (lanes offset..offset+cols) and writes the row of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(
        float* a, float* bt, float* c, int k, int tail, bool accumulate, int cols, Vector256<float> sums, int offset)
    {
        for (int j = 0; j < cols; j++)
        {
            float sum = sums.GetElement(offset + j);
            float* b = bt + (nint)j * k;
            for (int p = tail; p < k; p++)
            {
                sum = MathF.FusedMultiplyAdd(a[p], b[p], sum);
            }

            c[j] = accumulate ? c[j] + sum : sum;
        }
    }

    /// <summary>One thread's rows (in steps of 4); op(B)ᵀ is packed into the thread's scratch unless B is stored n×k.</summary>
    private readonly struct SkinnyTask(
        bool transposeB, int m, int n, int k, float* a, float* b, float* c, bool accumulate, int chunks, GemmEpilogue epilogue)
        : IWorkerPoolBody
    {
        public int Chunks => chunks;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index, int worker)
        {
            (int i0, int i1) = Gemm.Part(m, 4, index, chunks);
            float* bt = b;
            if (!transposeB)
            {
                bt = GemmScratch.Current.EnsureB(n * k);
                for (int p = 0; p < k; p++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        bt[(nint)j * k + p] = b[(nint)p * n + j];
                    }
                }
            }

            Run(a, bt, c, n, k, i0, i1, accumulate);
            epilogue.Apply(c, n, i0, i1, 0, n);
        }
    }
}
