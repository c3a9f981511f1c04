using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// A fixed B operand (a layer's weights, K×N row-major) packed once into the micro-panel layout that
/// <see cref="GemmDriver"/> would otherwise build for every product: scoring multiplies the same weights by chunk after
/// chunk of rows. Measured on the seed model: packing its weights takes 0.28 ms timed alone, and a 256-row scoring
/// chunk went from 4.12 to 4.02 ms (best of 41) on one thread; more with two threads, which each packed them.
/// The packed values and their order are exactly the driver's, so products give the same bits with or without it.
/// </summary>
internal sealed unsafe class GemmPackedB
{
    // Pinned: the pointer stays valid for the array's lifetime, which is this object's. The panels start at the
    // first 64-byte boundary in it, so the kernels' full-vector loads of B never straddle two cache lines.
    private readonly float[] _values;
    private readonly float* _panels;

    private GemmPackedB(int k, int n, int nr, float[] values)
    {
        K = k;
        N = n;
        Nr = nr;
        _values = values;
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(values));
        _panels = (float*)((address + 63) & ~(nint)63);
    }

    public int K { get; }

    public int N { get; }

    /// <summary>Micro-panel width: the packing only serves kernels with this <see cref="IGemmKernel.Nr"/>.</summary>
    public int Nr { get; }

    /// <summary>
    /// Packs <paramref name="b"/> [k, n] for the kernel the product C[m ≥ 5 rows, n] = A · B uses on this CPU, or
    /// returns null when that product does not run through packed B panels (narrow C, or the scalar kernel).
    /// </summary>
    public static GemmPackedB? Create(ReadOnlySpan<float> b, int k, int n)
    {
        GemmKernelKind kind = Gemm.Resolve(GemmKernelKind.Best);
        if (kind == GemmKernelKind.Scalar || n <= GemmSkinny.MaxColumns || n < Gemm.TileWidth(kind) || k == 0)
        {
            return null;
        }

        return kind == GemmKernelKind.Vector512 ? Pack<GemmKernel512>(b, k, n) : Pack<GemmKernel256>(b, k, n);
    }

    /// <summary>The packed block the driver uses for columns from <paramref name="jc"/> and k from <paramref name="pc"/>.</summary>
    public float* Block(int jc, int pc, int nc)
    {
        // Column blocks before jc are full (ncStep wide, a multiple of Nr); within a column block, k blocks follow
        // each other, each with ceil(nc / Nr) micro-panels of kc × Nr.
        return _panels + ((long)jc * K) + ((long)pc * GemmDriver.RoundUp(nc, Nr));
    }

    private static GemmPackedB Pack<TK>(ReadOnlySpan<float> b, int k, int n)
        where TK : struct, IGemmKernel
    {
        (int kcStep, int ncStep) = GemmDriver.Blocking(k, n, TK.Nr);
        var values = GC.AllocateArray<float>((k * GemmDriver.RoundUp(n, TK.Nr)) + 16, pinned: true); // 16: alignment slack
        var packed = new GemmPackedB(k, n, TK.Nr, values);
        fixed (float* pb = b)
        {
            var problem = new GemmProblem(TK.Mr, n, k, null, k, 1, pb, n, 1, null, n, 1, accumulate: false);
            for (int jc = 0; jc < n; jc += ncStep)
            {
                int nc = Math.Min(ncStep, n - jc);
                for (int pc = 0; pc < k; pc += kcStep)
                {
                    GemmPacking.PackB<TK>(problem, pc, Math.Min(kcStep, k - pc), jc, nc, packed.Block(jc, pc, nc));
                }
            }
        }

        return packed;
    }
}
