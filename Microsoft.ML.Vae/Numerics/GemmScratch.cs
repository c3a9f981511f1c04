using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// The packing buffers of one thread, allocated once (pinned, 64-byte aligned) at the largest block size, so
/// products allocate nothing in steady state. Thread-static: the caller's thread and each pool thread own theirs.
/// </summary>
internal sealed unsafe class GemmScratch
{
    [ThreadStatic]
    private static GemmScratch? t_current;

    // Pinned arrays: the pointers below stay valid for the arrays' lifetime, which is this object's.
    private readonly float[] _a;
    private readonly float[] _b;

    /// <summary>Floats in <see cref="B"/>.</summary>
    public const int BCapacity = GemmDriver.KcMax * GemmDriver.NcMax;

    private GemmScratch()
    {
        // A holds one micro-panel (at most 12 rows); B one block of packed micro-panels. Slack for alignment.
        _a = GC.AllocateUninitializedArray<float>(12 * GemmDriver.KcMax + 32, pinned: true);
        _b = GC.AllocateUninitializedArray<float>(BCapacity + 32, pinned: true);
        A = Align(_a);
        B = Align(_b);
    }

    public static GemmScratch Current => t_current ??= new GemmScratch();

    /// <summary>Packed A micro-panel.</summary>
    public float* A { get; }

    /// <summary>Packed B block.</summary>
    public float* B { get; }

    private static float* Align(float[] array)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (float*)((address + 63) & ~(nint)63);
    }
}
