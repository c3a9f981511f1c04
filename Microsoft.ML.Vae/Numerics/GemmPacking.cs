using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// Copies blocks of A and B into the micro-kernels' layouts: a packed A micro-panel holds, per k step, the Mr values
/// of one column of A; a packed B block holds micro-panels of Nr columns, each with the Nr values of one row per k step
/// (zero beyond the matrix edge, so kernels always load full vectors).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>dst[p*Mr + r] = A(i0 + r, p0 + p) for r &lt; rows, p &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<TK>(in GemmProblem problem, int i0, int rows, int p0, int kc, float* dst)
        where TK : struct, IGemmKernel
    {
        int mr = TK.Mr;
        int rs = problem.RowStrideA, cs = problem.ColStrideA;
        float* src = problem.A + (nint)i0 * rs + (nint)p0 * cs;
        if (rs == 1)
        {
            // Columns of A are contiguous (A stored transposed): copy rows values per k step.
            if (rows == 12 && mr == 12 && Vector256.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* s = src + (nint)p * cs;
                    float* d = dst + p * 12;
                    Vector256.Load(s).Store(d);
                    Vector128.Load(s + 8).Store(d + 8);
                }

                return;
            }

            for (int p = 0; p < kc; p++)
            {
                float* s = src + (nint)p * cs;
                float* d = dst + p * mr;
                for (int r = 0; r < rows; r++)
                {
                    d[r] = s[r];
                }
            }
        }
        else if (TK.PacksWithAvx512 && cs == 1 && Avx512F.IsSupported)
        {
            // Rows of A are contiguous: transpose 16×16 blocks (the scratch buffer has room for the overhang).
            GemmTranspose.Rows16(src, rs, rows, kc, dst, mr);
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                float* s = src + (nint)r * rs;
                float* d = dst + r;
                for (int p = 0; p < kc; p++)
                {
                    d[p * mr] = s[(nint)p * cs];
                }
            }
        }
    }

    /// <summary>
    /// Packs B(p0.., j0..) for kc rows and nc columns: micro-panel q (columns j0 + q*Nr ..) starts at dst + q*kc*Nr and
    /// holds dst[p*Nr + j] = B(p0 + p, j0 + q*Nr + j), zero past column nc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<TK>(in GemmProblem problem, int p0, int kc, int j0, int nc, float* dst)
        where TK : struct, IGemmKernel
    {
        int nr = TK.Nr;
        int rs = problem.RowStrideB, cs = problem.ColStrideB;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* src = problem.B + (nint)p0 * rs + (nint)(j0 + jr) * cs;
            float* d = dst + jr * kc;
            if (cs == 1)
            {
                // Rows of B are contiguous: copy a row segment per k step.
                for (int p = 0; p < kc; p++)
                {
                    float* s = src + (nint)p * rs;
                    float* dp = d + p * nr;
                    int j = 0;
                    if (TK.PacksWithAvx512 && cols == nr)
                    {
                        for (; j < nr; j += 16)
                        {
                            Vector512.Load(s + j).Store(dp + j);
                        }

                        continue;
                    }

                    if (Vector256.IsHardwareAccelerated)
                    {
                        for (; j <= cols - 8; j += 8)
                        {
                            Vector256.Store(Vector256.Load(s + j), dp + j);
                        }
                    }

                    for (; j < cols; j++)
                    {
                        dp[j] = s[j];
                    }

                    for (; j < nr; j++)
                    {
                        dp[j] = 0;
                    }
                }
            }
            else if (TK.PacksWithAvx512 && nr % 16 == 0 && rs == 1 && Avx512F.IsSupported)
            {
                // Columns of B are contiguous (B stored transposed): transpose 16×16 blocks into each 16-column slice.
                for (int h = 0; h < nr; h += 16)
                {
                    GemmTranspose.Rows16(src + h * (nint)cs, cs, Math.Clamp(cols - h, 0, 16), kc, d + h, nr);
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    float* s = src + (nint)j * cs;
                    float* dp = d + j;
                    for (int p = 0; p < kc; p++)
                    {
                        dp[p * nr] = s[(nint)p * rs];
                    }
                }

                if (cols < nr)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        new Span<float>(d + p * nr + cols, nr - cols).Clear();
                    }
                }
            }
        }
    }
}
