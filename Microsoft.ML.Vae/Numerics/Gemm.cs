using System.Numerics.Tensors;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// Single-precision matrix product on dense row-major matrices:
/// C[m, n] = op(A) · op(B) (or C += ... when <c>accumulate</c>), where op(A) is m×k and op(B) is k×n.
/// A dense layer uses three forms: forward Y = X·W (NN), input gradient dX = dY·Wᵀ (NT),
/// weight gradient dW = Xᵀ·dY (TN).
/// </summary>
internal static class Gemm
{
    /// <remarks>
    /// With <c>transposeA</c>, A is stored k×m and used transposed; with <c>transposeB</c>, B is stored n×k.
    /// <c>pool</c> gives the threads to split the work over; null runs on the calling thread.
    /// </remarks>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, WorkerPool? pool = null)
    {
        _ = pool;
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        if (!transposeA && !transposeB)
        {
            for (int i = 0; i < m; i++)
            {
                Span<float> cRow = c.Slice(i * n, n);
                ReadOnlySpan<float> aRow = a.Slice(i * k, k);
                for (int p = 0; p < k; p++)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aRow[p], cRow, cRow);
                }
            }
        }
        else if (!transposeA && transposeB)
        {
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<float> aRow = a.Slice(i * k, k);
                for (int j = 0; j < n; j++)
                {
                    c[i * n + j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                }
            }
        }
        else if (transposeA && !transposeB)
        {
            // A is k×m: C[i, :] += A[p, i] * B[p, :].
            for (int p = 0; p < k; p++)
            {
                ReadOnlySpan<float> bRow = b.Slice(p * n, n);
                for (int i = 0; i < m; i++)
                {
                    Span<float> cRow = c.Slice(i * n, n);
                    TensorPrimitives.MultiplyAdd(bRow, a[p * m + i], cRow, cRow);
                }
            }
        }
        else
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    float sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += a[p * m + i] * b[j * k + p];
                    }

                    c[i * n + j] += sum;
                }
            }
        }
    }
}
