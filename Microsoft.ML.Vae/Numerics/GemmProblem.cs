namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// One product C[M, N] (=|+=) A[M, K] · B[K, N] on strided operands: A(i, p) = A[i*RowStrideA + p*ColStrideA],
/// B(p, j) = B[p*RowStrideB + j*ColStrideB], C(i, j) = C[i*RowStrideC + j*ColStrideC]. Strides express the
/// transposes, and swapping the operands' roles computes Cᵀ (used when C is too narrow for a vector of columns).
/// </summary>
internal readonly unsafe struct GemmProblem(
    int m, int n, int k,
    float* a, int rowStrideA, int colStrideA,
    float* b, int rowStrideB, int colStrideB,
    float* c, int rowStrideC, int colStrideC,
    bool accumulate)
{
    public readonly int M = m, N = n, K = k;
    public readonly float* A = a, B = b, C = c;
    public readonly int RowStrideA = rowStrideA, ColStrideA = colStrideA;
    public readonly int RowStrideB = rowStrideB, ColStrideB = colStrideB;
    public readonly int RowStrideC = rowStrideC, ColStrideC = colStrideC;
    public readonly bool Accumulate = accumulate;

    /// <summary>The same product with the roles of rows and columns exchanged: Cᵀ = op(B)ᵀ · op(A)ᵀ.</summary>
    public GemmProblem Transposed() => new(
        N, M, K,
        B, ColStrideB, RowStrideB,
        A, ColStrideA, RowStrideA,
        C, ColStrideC, RowStrideC,
        Accumulate);

    /// <summary>The block of C with rows [i0, i1) and columns [j0, j1).</summary>
    public GemmProblem Block(int i0, int i1, int j0, int j1) => new(
        i1 - i0, j1 - j0, K,
        A + (nint)i0 * RowStrideA, RowStrideA, ColStrideA,
        B + (nint)j0 * ColStrideB, RowStrideB, ColStrideB,
        C + (nint)i0 * RowStrideC + (nint)j0 * ColStrideC, RowStrideC, ColStrideC,
        Accumulate);
}
