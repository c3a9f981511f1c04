namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// A register-blocked micro-kernel: computes an Mr×Nr tile of C from a packed A micro-panel (kc steps of Mr values)
/// and a packed B micro-panel (kc steps of Nr values). Every element is summed over k in order, one multiply-add
/// per step, whichever kernel variant or tile position computes it: results do not depend on how C is split.
/// </summary>
internal unsafe interface IGemmKernel
{
    /// <summary>Rows of a tile (values per k step in a packed A micro-panel).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of a tile (values per k step in a packed B micro-panel).</summary>
    static abstract int Nr { get; }

    /// <summary>Whether packing may use AVX-512 transposes (the other kernels keep the portable copies tested).</summary>
    static abstract bool PacksWithAvx512 { get; }

    /// <summary>
    /// C[r, 0..Nr) (=|+=) Σ_p a[p*Mr + r] · b[p*ldb + 0..Nr) for r &lt; rows (1..Mr); C rows are <paramref name="ldc"/>
    /// apart. <paramref name="ldb"/> is Nr for a packed B micro-panel, or B's row stride when B is read in place.
    /// </summary>
    static abstract void Run(int rows, int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite);
}
