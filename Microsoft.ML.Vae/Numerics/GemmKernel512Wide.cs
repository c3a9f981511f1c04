using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// AVX-512 micro-kernel for products with at most 4 rows (e.g. the weight gradient of a 2-input layer, or Cᵀ of a
/// 2-output one): a 4×64 tile, so even 2 rows keep 8 independent FMA chains in flight (the 12×32 kernel would have 4
/// and stall on FMA latency). Each element is the same in-order chain of FMAs as in the 12×32 kernel: bit-identical.
/// </summary>
internal readonly unsafe struct GemmKernel512Wide : IGemmKernel
{
    public static int Mr => 4;

    public static int Nr => 64;

    public static bool PacksWithAvx512 => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int rows, int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite)
    {
        switch (rows)
        {
            case 1: Tile<GemmRows1>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 2: Tile<GemmRows2>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 3: Tile<GemmRows3>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 4: Tile<GemmRows4>(kc, a, b, ldb, c, ldc, overwrite); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite)
        where TRows : struct, IGemmRowCount
    {
        Vector512<float> c0a = default, c0b = default, c0c = default, c0d = default;
        Vector512<float> c1a = default, c1b = default, c1c = default, c1d = default;
        Vector512<float> c2a = default, c2b = default, c2c = default, c2d = default;
        Vector512<float> c3a = default, c3b = default, c3c = default, c3d = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> b2 = Vector512.Load(b + 32);
            Vector512<float> b3 = Vector512.Load(b + 48);
            Vector512<float> x = Vector512.Create(a[0]);
            c0a = Avx512F.FusedMultiplyAdd(x, b0, c0a);
            c0b = Avx512F.FusedMultiplyAdd(x, b1, c0b);
            c0c = Avx512F.FusedMultiplyAdd(x, b2, c0c);
            c0d = Avx512F.FusedMultiplyAdd(x, b3, c0d);
            if (TRows.Value > 1)
            {
                x = Vector512.Create(a[1]);
                c1a = Avx512F.FusedMultiplyAdd(x, b0, c1a);
                c1b = Avx512F.FusedMultiplyAdd(x, b1, c1b);
                c1c = Avx512F.FusedMultiplyAdd(x, b2, c1c);
                c1d = Avx512F.FusedMultiplyAdd(x, b3, c1d);
            }
            if (TRows.Value > 2)
            {
                x = Vector512.Create(a[2]);
                c2a = Avx512F.FusedMultiplyAdd(x, b0, c2a);
                c2b = Avx512F.FusedMultiplyAdd(x, b1, c2b);
                c2c = Avx512F.FusedMultiplyAdd(x, b2, c2c);
                c2d = Avx512F.FusedMultiplyAdd(x, b3, c2d);
            }
            if (TRows.Value > 3)
            {
                x = Vector512.Create(a[3]);
                c3a = Avx512F.FusedMultiplyAdd(x, b0, c3a);
                c3b = Avx512F.FusedMultiplyAdd(x, b1, c3b);
                c3c = Avx512F.FusedMultiplyAdd(x, b2, c3c);
                c3d = Avx512F.FusedMultiplyAdd(x, b3, c3d);
            }

            a += 4;
            b += ldb;
        }

        Store(c, overwrite, c0a, c0b, c0c, c0d);
        if (TRows.Value > 1)
        {
            Store(c + 1 * ldc, overwrite, c1a, c1b, c1c, c1d);
        }
        if (TRows.Value > 2)
        {
            Store(c + 2 * ldc, overwrite, c2a, c2b, c2c, c2d);
        }
        if (TRows.Value > 3)
        {
            Store(c + 3 * ldc, overwrite, c3a, c3b, c3c, c3d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, bool overwrite, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        if (!overwrite)
        {
            v0 += Vector512.Load(c + 0);
            v1 += Vector512.Load(c + 16);
            v2 += Vector512.Load(c + 32);
            v3 += Vector512.Load(c + 48);
        }

        v0.Store(c + 0);
        v1.Store(c + 16);
        v2.Store(c + 32);
        v3.Store(c + 48);
    }
}
