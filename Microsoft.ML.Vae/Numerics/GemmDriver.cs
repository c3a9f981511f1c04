using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// The blocked loops around a micro-kernel (GotoBLAS order): for each block of columns and of k, pack B once;
/// for each Mr-row micro-panel of A, pack it (it then stays in L1) and sweep it across the B block (which stays in L2).
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Largest k block: a 12×384 A micro-panel is 18 KiB (L1); a 384×1024 B block 1.5 MiB (L2).</summary>
    public const int KcMax = 384;

    /// <summary>Largest column block (a multiple of every kernel's Nr).</summary>
    public const int NcMax = 1024;

    /// <summary>
    /// The k and column block sizes for a K×N B: even splits of K into blocks of at most <see cref="KcMax"/>, and of N
    /// into blocks of at most <see cref="NcMax"/> rounded up to whole micro-panels of <paramref name="nr"/> columns.
    /// </summary>
    public static (int KcStep, int NcStep) Blocking(int k, int n, int nr)
    {
        int kBlocks = (k + KcMax - 1) / KcMax;
        int nBlocks = (n + NcMax - 1) / NcMax;
        return ((k + kBlocks - 1) / kBlocks, RoundUp((n + nBlocks - 1) / nBlocks, nr));
    }

    /// <summary>
    /// Computes the whole <paramref name="problem"/> on this thread. The k blocks depend only on K, so every element
    /// gets the same sequence of operations however C is split into blocks and threads. <paramref name="packedB"/>,
    /// when given, is the problem's B already packed for this kernel (see <see cref="GemmPackedB"/>).
    /// </summary>
    [SkipLocalsInit]
    // NoInlining: see VectorMath.BinaryCrossEntropy (vector loops run by pool threads stay methods of their own).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<TK>(in GemmProblem problem, GemmScratch scratch, GemmPackedB? packedB = null)
        where TK : struct, IGemmKernel
    {
        int mr = TK.Mr, nr = TK.Nr;
        int m = problem.M, n = problem.N, k = problem.K;
        (int kcStep, int ncStep) = Blocking(k, n, nr);
        int rsC = problem.RowStrideC, csC = problem.ColStrideC;
        float* tile = stackalloc float[mr * nr];
        // Transposed C with tiles of up to 16 rows: written through a register transpose (below 5 rows, element by
        // element is cheaper).
        bool columnsContiguous = csC != 1 && rsC == 1 && mr <= 16 && Avx512F.IsSupported;
        float* tileT = stackalloc float[nr * 16];
        bool prepacked = packedB is not null && packedB.Nr == nr && packedB.K == k && packedB.N == n;
        float* packedA = scratch.A, scratchB = prepacked ? null : scratch.EnsureB(kcStep * ncStep);

        for (int jc = 0; jc < n; jc += ncStep)
        {
            int nc = Math.Min(ncStep, n - jc);
            for (int pc = 0; pc < k; pc += kcStep)
            {
                int kc = Math.Min(kcStep, k - pc);
                bool overwrite = pc == 0 && !problem.Accumulate;

                // With a single row panel each B value is used once per row: packing B would cost more than it saves,
                // so full-width micro-panels are read in place when B's rows are contiguous.
                bool bInPlace = !prepacked && m <= mr && problem.ColStrideB == 1;
                float* panels = scratchB;
                if (prepacked)
                {
                    panels = packedB!.Block(jc, pc, nc);
                }
                else if (!bInPlace)
                {
                    GemmPacking.PackB<TK>(problem, pc, kc, jc, nc, panels);
                }

                for (int ic = 0; ic < m; ic += mr)
                {
                    int rows = Math.Min(mr, m - ic);
                    GemmPacking.PackA<TK>(problem, ic, rows, pc, kc, packedA);
                    float* cRow = problem.C + (nint)ic * rsC + (nint)jc * csC;
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* bPanel = panels + jr * kc;
                        int ldb = nr;
                        if (bInPlace && cols == nr)
                        {
                            bPanel = problem.B + (nint)pc * problem.RowStrideB + jc + jr;
                            ldb = problem.RowStrideB;
                        }
                        else if (bInPlace)
                        {
                            GemmPacking.PackB<TK>(problem, pc, kc, jc + jr, cols, bPanel);
                        }

                        float* c = cRow + (nint)jr * csC;
                        if (cols == nr && csC == 1)
                        {
                            TK.Run(rows, kc, packedA, bPanel, ldb, c, rsC, overwrite);
                        }
                        else if (columnsContiguous && rows > 4)
                        {
                            // Transposed C (a narrow product computed as Cᵀ): the tile's columns are C's rows.
                            TK.Run(rows, kc, packedA, bPanel, ldb, tile, nr, overwrite: true);
                            WriteTransposed(tile, nr, rows, cols, tileT, c, csC, overwrite);
                        }
                        else
                        {
                            // Edge tile: compute the full tile aside, then write the part inside C.
                            TK.Run(rows, kc, packedA, bPanel, ldb, tile, nr, overwrite: true);
                            for (int r = 0; r < rows; r++)
                            {
                                float* t = tile + r * nr;
                                float* cr = c + (nint)r * rsC;
                                for (int j = 0; j < cols; j++)
                                {
                                    float* cij = cr + (nint)j * csC;
                                    *cij = overwrite ? t[j] : *cij + t[j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// c[j*csC + r] = (overwrite ? 0 : c[j*csC + r]) + tile[r*nr + j] for r &lt; rows (≤ 16), j &lt; cols: the tile goes
    /// through <paramref name="tileT"/> ([nr, 16], transposed in registers), then each of its columns, contiguous in
    /// C, is written with masked 8-lane stores. The same values as an element-by-element write; measured on the 20-wide
    /// heads' products on one thread, 128x400x20 went from 75 to 80 GFLOP/s forward and from 75 to 83 for the weight
    /// gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTransposed(float* tile, int nr, int rows, int cols, float* tileT, float* c, int csC, bool overwrite)
    {
        GemmTranspose.Rows16(tile, nr, rows, cols, tileT, 16);
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<float> low = Vector256.LessThan(lanes, Vector256.Create(rows)).AsSingle();
        Vector256<float> high = Vector256.LessThan(lanes, Vector256.Create(rows - 8)).AsSingle();
        for (int j = 0; j < cols; j++)
        {
            float* t = tileT + (j * 16);
            float* d = c + ((nint)j * csC);
            Vector256<float> v0 = Vector256.Load(t), v1 = Vector256.Load(t + 8);
            if (!overwrite)
            {
                v0 += Avx.MaskLoad(d, low);
                v1 += Avx.MaskLoad(d + 8, high);
            }

            Avx.MaskStore(d, low, v0);
            Avx.MaskStore(d + 8, high, v1);
        }
    }

    internal static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
