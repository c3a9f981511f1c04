using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// The packing buffers of one thread (pinned, 64-byte aligned). Thread-static: the caller's thread and each pool
/// thread own theirs. The B buffer grows (doubling, up to one full block) to the largest block a product has needed,
/// so products allocate nothing once each shape has run, and threads that only score small batches stay small.
/// </summary>
internal sealed unsafe class GemmScratch
{
    /// <summary>Largest B buffer: one full KcMax × NcMax block.</summary>
    public const int BCapacity = GemmDriver.KcMax * GemmDriver.NcMax;

    [ThreadStatic]
    private static GemmScratch? t_current;

    // Pinned arrays: the pointers below stay valid for the arrays' lifetime, which is this object's.
    private readonly float[] _a;
    private float[] _b;
    private int _bLength;

    private GemmScratch()
    {
        // A holds one micro-panel (at most 12 rows of KcMax), with slack for alignment and transposes' overhang.
        _a = GC.AllocateUninitializedArray<float>(12 * GemmDriver.KcMax + 32, pinned: true);
        A = Align(_a);
        _b = _a;
        B = A;
    }

    public static GemmScratch Current => t_current ??= new GemmScratch();

    /// <summary>Packed A micro-panel.</summary>
    public float* A { get; }

    /// <summary>Packed B block (valid for the length last passed to <see cref="EnsureB"/>).</summary>
    public float* B { get; private set; }

    /// <summary>Makes <see cref="B"/> hold at least <paramref name="length"/> floats (≤ <see cref="BCapacity"/>).</summary>
    public float* EnsureB(int length)
    {
        if (length > _bLength)
        {
            int grown = Math.Min(BCapacity, Math.Max(length, Math.Max(4096, 2 * _bLength)));
            _b = GC.AllocateUninitializedArray<float>(grown + 32, pinned: true);
            _bLength = grown;
            B = Align(_b);
        }

        return B;
    }

    private static float* Align(float[] array)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (float*)((address + 63) & ~(nint)63);
    }
}
