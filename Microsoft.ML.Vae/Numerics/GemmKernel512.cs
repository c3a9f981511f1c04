using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// AVX-512 micro-kernel: a 12×32 tile in 24 zmm accumulators (of 32 registers), two B vectors and one broadcast
/// per k step: 24 FMAs per 14 loads keeps both FMA ports busy.
/// </summary>
internal readonly unsafe struct GemmKernel512 : IGemmKernel
{
    public static int Mr => 12;

    public static int Nr => 32;

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
            case 5: Tile<GemmRows5>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 6: Tile<GemmRows6>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 7: Tile<GemmRows7>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 8: Tile<GemmRows8>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 9: Tile<GemmRows9>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 10: Tile<GemmRows10>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 11: Tile<GemmRows11>(kc, a, b, ldb, c, ldc, overwrite); break;
            case 12: Tile<GemmRows12>(kc, a, b, ldb, c, ldc, overwrite); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite)
        where TRows : struct, IGemmRowCount
    {
        Vector512<float> c0a = default, c0b = default, c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default, c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default, c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default, c7a = default, c7b = default;
        Vector512<float> c8a = default, c8b = default, c9a = default, c9b = default;
        Vector512<float> c10a = default, c10b = default, c11a = default, c11b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a[0]);
            c0a = Avx512F.FusedMultiplyAdd(x, b0, c0a);
            c0b = Avx512F.FusedMultiplyAdd(x, b1, c0b);
            if (TRows.Value > 1)
            {
                x = Vector512.Create(a[1]);
                c1a = Avx512F.FusedMultiplyAdd(x, b0, c1a);
                c1b = Avx512F.FusedMultiplyAdd(x, b1, c1b);
            }
            if (TRows.Value > 2)
            {
                x = Vector512.Create(a[2]);
                c2a = Avx512F.FusedMultiplyAdd(x, b0, c2a);
                c2b = Avx512F.FusedMultiplyAdd(x, b1, c2b);
            }
            if (TRows.Value > 3)
            {
                x = Vector512.Create(a[3]);
                c3a = Avx512F.FusedMultiplyAdd(x, b0, c3a);
                c3b = Avx512F.FusedMultiplyAdd(x, b1, c3b);
            }
            if (TRows.Value > 4)
            {
                x = Vector512.Create(a[4]);
                c4a = Avx512F.FusedMultiplyAdd(x, b0, c4a);
                c4b = Avx512F.FusedMultiplyAdd(x, b1, c4b);
            }
            if (TRows.Value > 5)
            {
                x = Vector512.Create(a[5]);
                c5a = Avx512F.FusedMultiplyAdd(x, b0, c5a);
                c5b = Avx512F.FusedMultiplyAdd(x, b1, c5b);
            }
            if (TRows.Value > 6)
            {
                x = Vector512.Create(a[6]);
                c6a = Avx512F.FusedMultiplyAdd(x, b0, c6a);
                c6b = Avx512F.FusedMultiplyAdd(x, b1, c6b);
            }
            if (TRows.Value > 7)
            {
                x = Vector512.Create(a[7]);
                c7a = Avx512F.FusedMultiplyAdd(x, b0, c7a);
                c7b = Avx512F.FusedMultiplyAdd(x, b1, c7b);
            }
            if (TRows.Value > 8)
            {
                x = Vector512.Create(a[8]);
                c8a = Avx512F.FusedMultiplyAdd(x, b0, c8a);
                c8b = Avx512F.FusedMultiplyAdd(x, b1, c8b);
            }
            if (TRows.Value > 9)
            {
                x = Vector512.Create(a[9]);
                c9a = Avx512F.FusedMultiplyAdd(x, b0, c9a);
                c9b = Avx512F.FusedMultiplyAdd(x, b1, c9b);
            }
            if (TRows.Value > 10)
            {
                x = Vector512.Create(a[10]);
                c10a = Avx512F.FusedMultiplyAdd(x, b0, c10a);
                c10b = Avx512F.FusedMultiplyAdd(x, b1, c10b);
            }
            if (TRows.Value > 11)
            {
                x = Vector512.Create(a[11]);
                c11a = Avx512F.FusedMultiplyAdd(x, b0, c11a);
                c11b = Avx512F.FusedMultiplyAdd(x, b1, c11b);
            }

            a += 12;
            b += ldb;
        }

        Store(c, overwrite, c0a, c0b);
        if (TRows.Value > 1)
        {
            Store(c + 1 * ldc, overwrite, c1a, c1b);
        }
        if (TRows.Value > 2)
        {
            Store(c + 2 * ldc, overwrite, c2a, c2b);
        }
        if (TRows.Value > 3)
        {
            Store(c + 3 * ldc, overwrite, c3a, c3b);
        }
        if (TRows.Value > 4)
        {
            Store(c + 4 * ldc, overwrite, c4a, c4b);
        }
        if (TRows.Value > 5)
        {
            Store(c + 5 * ldc, overwrite, c5a, c5b);
        }
        if (TRows.Value > 6)
        {
            Store(c + 6 * ldc, overwrite, c6a, c6b);
        }
        if (TRows.Value > 7)
        {
            Store(c + 7 * ldc, overwrite, c7a, c7b);
        }
        if (TRows.Value > 8)
        {
            Store(c + 8 * ldc, overwrite, c8a, c8b);
        }
        if (TRows.Value > 9)
        {
            Store(c + 9 * ldc, overwrite, c9a, c9b);
        }
        if (TRows.Value > 10)
        {
            Store(c + 10 * ldc, overwrite, c10a, c10b);
        }
        if (TRows.Value > 11)
        {
            Store(c + 11 * ldc, overwrite, c11a, c11b);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, bool overwrite, Vector512<float> v0, Vector512<float> v1)
    {
        if (!overwrite)
        {
            v0 += Vector512.Load(c + 0);
            v1 += Vector512.Load(c + 16);
        }

        v0.Store(c + 0);
        v1.Store(c + 16);
    }
}
