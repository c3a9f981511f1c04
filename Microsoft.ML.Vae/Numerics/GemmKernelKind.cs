namespace Microsoft.ML.Vae.Numerics;

/// <summary>Which micro-kernel family <see cref="Gemm"/> runs; tests force each one, production uses the widest.</summary>
internal enum GemmKernelKind
{
    /// <summary>The widest the hardware accelerates.</summary>
    Best,
    Scalar,
    Vector256,
    Vector512,
}
