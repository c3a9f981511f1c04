using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// AVX2+FMA micro-kernel: a 6×16 tile in 12 ymm accumulators (of 16 registers), two B vectors and one broadcast
/// per k step.
/// </summary>
internal readonly unsafe struct GemmKernel256 : IGemmKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static bool PacksWithAvx512 => false;

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
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite)
        where TRows : struct, IGemmRowCount
    {
        Vector256<float> c0a = default, c0b = default, c1a = default, c1b = default;
        Vector256<float> c2a = default, c2b = default, c3a = default, c3b = default;
        Vector256<float> c4a = default, c4b = default, c5a = default, c5b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b + 0);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
            c0a = Fma.MultiplyAdd(x, b0, c0a);
            c0b = Fma.MultiplyAdd(x, b1, c0b);
            if (TRows.Value > 1)
            {
                x = Vector256.Create(a[1]);
                c1a = Fma.MultiplyAdd(x, b0, c1a);
                c1b = Fma.MultiplyAdd(x, b1, c1b);
            }
            if (TRows.Value > 2)
            {
                x = Vector256.Create(a[2]);
                c2a = Fma.MultiplyAdd(x, b0, c2a);
                c2b = Fma.MultiplyAdd(x, b1, c2b);
            }
            if (TRows.Value > 3)
            {
                x = Vector256.Create(a[3]);
                c3a = Fma.MultiplyAdd(x, b0, c3a);
                c3b = Fma.MultiplyAdd(x, b1, c3b);
            }
            if (TRows.Value > 4)
            {
                x = Vector256.Create(a[4]);
                c4a = Fma.MultiplyAdd(x, b0, c4a);
                c4b = Fma.MultiplyAdd(x, b1, c4b);
            }
            if (TRows.Value > 5)
            {
                x = Vector256.Create(a[5]);
                c5a = Fma.MultiplyAdd(x, b0, c5a);
                c5b = Fma.MultiplyAdd(x, b1, c5b);
            }

            a += 6;
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
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, bool overwrite, Vector256<float> v0, Vector256<float> v1)
    {
        if (!overwrite)
        {
            v0 += Vector256.Load(c + 0);
            v1 += Vector256.Load(c + 8);
        }

        v0.Store(c + 0);
        v1.Store(c + 8);
    }
}
