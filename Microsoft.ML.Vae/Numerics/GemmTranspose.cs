using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// Transposing copies for packing operands whose rows run along k (A untransposed, B transposed): 16×16 blocks
/// transposed in registers with AVX-512 shuffles (64 shuffles per 256 values) instead of strided scalar copies.
/// </summary>
internal static unsafe class GemmTranspose
{
    /// <summary>
    /// dst[p*dstStride + r] = src[r*srcStride + p] for r &lt; rows (≤ 16), p &lt; count; lanes r in [rows, 16) of
    /// each destination row are written with zeros. Destination rows are written in increasing order as full
    /// 16-lane vectors, so with dstStride &lt; 16 each overlaps the next one (whose store then fixes the overlap) and
    /// the last one runs up to 16 - dstStride values past the block: the caller leaves that much slack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows16(float* src, int srcStride, int rows, int count, float* dst, int dstStride)
    {
        int p = 0;
        for (; p <= count - 16; p += 16)
        {
            Vector512<float> r0 = Row(src, srcStride, rows, 0, p), r1 = Row(src, srcStride, rows, 1, p);
            Vector512<float> r2 = Row(src, srcStride, rows, 2, p), r3 = Row(src, srcStride, rows, 3, p);
            Vector512<float> r4 = Row(src, srcStride, rows, 4, p), r5 = Row(src, srcStride, rows, 5, p);
            Vector512<float> r6 = Row(src, srcStride, rows, 6, p), r7 = Row(src, srcStride, rows, 7, p);
            Vector512<float> r8 = Row(src, srcStride, rows, 8, p), r9 = Row(src, srcStride, rows, 9, p);
            Vector512<float> r10 = Row(src, srcStride, rows, 10, p), r11 = Row(src, srcStride, rows, 11, p);
            Vector512<float> r12 = Row(src, srcStride, rows, 12, p), r13 = Row(src, srcStride, rows, 13, p);
            Vector512<float> r14 = Row(src, srcStride, rows, 14, p), r15 = Row(src, srcStride, rows, 15, p);

            // Within each 128-bit lane L: u[4g + c] = column 4L + c of rows 4g..4g+3.
            Quad(r0, r1, r2, r3, out Vector512<float> u0, out Vector512<float> u1, out Vector512<float> u2, out Vector512<float> u3);
            Quad(r4, r5, r6, r7, out Vector512<float> u4, out Vector512<float> u5, out Vector512<float> u6, out Vector512<float> u7);
            Quad(r8, r9, r10, r11, out Vector512<float> u8, out Vector512<float> u9, out Vector512<float> u10, out Vector512<float> u11);
            Quad(r12, r13, r14, r15, out Vector512<float> u12, out Vector512<float> u13, out Vector512<float> u14, out Vector512<float> u15);

            Lanes(u0, u4, u8, u12, out Vector512<float> o0, out Vector512<float> o4, out Vector512<float> o8, out Vector512<float> o12);
            Lanes(u1, u5, u9, u13, out Vector512<float> o1, out Vector512<float> o5, out Vector512<float> o9, out Vector512<float> o13);
            Lanes(u2, u6, u10, u14, out Vector512<float> o2, out Vector512<float> o6, out Vector512<float> o10, out Vector512<float> o14);
            Lanes(u3, u7, u11, u15, out Vector512<float> o3, out Vector512<float> o7, out Vector512<float> o11, out Vector512<float> o15);

            // In increasing address order, so overlapping stores (dstStride < 16) leave the right values.
            float* d = dst + (nint)p * dstStride;
            o0.Store(d);
            o1.Store(d + dstStride);
            o2.Store(d + 2 * dstStride);
            o3.Store(d + 3 * dstStride);
            o4.Store(d + 4 * dstStride);
            o5.Store(d + 5 * dstStride);
            o6.Store(d + 6 * dstStride);
            o7.Store(d + 7 * dstStride);
            o8.Store(d + 8 * dstStride);
            o9.Store(d + 9 * dstStride);
            o10.Store(d + 10 * dstStride);
            o11.Store(d + 11 * dstStride);
            o12.Store(d + 12 * dstStride);
            o13.Store(d + 13 * dstStride);
            o14.Store(d + 14 * dstStride);
            o15.Store(d + 15 * dstStride);
        }

        for (; p < count; p++)
        {
            float* d = dst + (nint)p * dstStride;
            int r = 0;
            for (; r < rows; r++)
            {
                d[r] = src[(nint)r * srcStride + p];
            }

            for (; r < Math.Min(16, dstStride); r++)
            {
                d[r] = 0;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* src, int srcStride, int rows, int r, int p)
        => r < rows ? Vector512.Load(src + (nint)r * srcStride + p) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad(
        Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d,
        out Vector512<float> c0, out Vector512<float> c1, out Vector512<float> c2, out Vector512<float> c3)
    {
        Vector512<double> t0 = Avx512F.UnpackLow(a, b).AsDouble(), t1 = Avx512F.UnpackHigh(a, b).AsDouble();
        Vector512<double> t2 = Avx512F.UnpackLow(c, d).AsDouble(), t3 = Avx512F.UnpackHigh(c, d).AsDouble();
        c0 = Avx512F.UnpackLow(t0, t2).AsSingle();
        c1 = Avx512F.UnpackHigh(t0, t2).AsSingle();
        c2 = Avx512F.UnpackLow(t1, t3).AsSingle();
        c3 = Avx512F.UnpackHigh(t1, t3).AsSingle();
    }

    /// <summary>Gathers lane L of the four row groups into output column 4L + c (outputs for L = 0..3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes(
        Vector512<float> g0, Vector512<float> g1, Vector512<float> g2, Vector512<float> g3,
        out Vector512<float> lane0, out Vector512<float> lane1, out Vector512<float> lane2, out Vector512<float> lane3)
    {
        Vector512<float> v = Avx512F.Shuffle4x128(g0, g1, 0x44), vHigh = Avx512F.Shuffle4x128(g0, g1, 0xEE);
        Vector512<float> w = Avx512F.Shuffle4x128(g2, g3, 0x44), wHigh = Avx512F.Shuffle4x128(g2, g3, 0xEE);
        lane0 = Avx512F.Shuffle4x128(v, w, 0x88);
        lane1 = Avx512F.Shuffle4x128(v, w, 0xDD);
        lane2 = Avx512F.Shuffle4x128(vHigh, wHigh, 0x88);
        lane3 = Avx512F.Shuffle4x128(vHigh, wHigh, 0xDD);
    }
}
