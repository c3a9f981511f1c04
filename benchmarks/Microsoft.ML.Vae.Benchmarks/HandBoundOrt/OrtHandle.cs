using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Onnx;

/// <summary>
/// Owns one native ONNX Runtime object and releases it exactly once (Dispose or finalization).
/// <see cref="LiveCount"/> counts native objects VaeMl created and has not released yet, including the short-lived
/// tensors of a scoring call (tracked through <see cref="Created"/> / <see cref="Released"/>), so tests can prove
/// that no path leaks.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    private static int live;

    protected OrtHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Created();
    }

    /// <summary>Native objects created and not yet released, across the process.</summary>
    public static int LiveCount => Volatile.Read(ref live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static void Created() => Interlocked.Increment(ref live);

    public static void Released() => Interlocked.Decrement(ref live);

    protected sealed override bool ReleaseHandle()
    {
        Release(handle);
        Released();
        return true;
    }

    protected abstract void Release(IntPtr value);
}

/// <summary>An <c>OrtSession*</c>: a loaded model ready to run.</summary>
internal sealed unsafe class OrtSessionHandle(IntPtr value) : OrtHandle(value)
{
    protected override void Release(IntPtr value) => OrtApi.Instance.ReleaseSession(value);
}

/// <summary>An <c>OrtSessionOptions*</c>.</summary>
internal sealed unsafe class OrtSessionOptionsHandle(IntPtr value) : OrtHandle(value)
{
    protected override void Release(IntPtr value) => OrtApi.Instance.ReleaseSessionOptions(value);
}

/// <summary>An <c>OrtMemoryInfo*</c> describing where tensor buffers live.</summary>
internal sealed unsafe class OrtMemoryInfoHandle(IntPtr value) : OrtHandle(value)
{
    protected override void Release(IntPtr value) => OrtApi.Instance.ReleaseMemoryInfo(value);
}

/// <summary>An <c>OrtTypeInfo*</c> of a session input or output.</summary>
internal sealed unsafe class OrtTypeInfoHandle(IntPtr value) : OrtHandle(value)
{
    protected override void Release(IntPtr value) => OrtApi.Instance.ReleaseTypeInfo(value);
}

/// <summary>An <c>OrtModelMetadata*</c>.</summary>
internal sealed unsafe class OrtModelMetadataHandle(IntPtr value) : OrtHandle(value)
{
    protected override void Release(IntPtr value) => OrtApi.Instance.ReleaseModelMetadata(value);
}
