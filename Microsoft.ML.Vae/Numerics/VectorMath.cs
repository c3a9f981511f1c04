using System.Numerics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// The transcendental functions of the training loss, over <see cref="Vector{T}"/>: exp on (-inf, 0], log(1 + e) on
/// (0, 1], and the logistic sigmoid built from them, fused into one pass that yields the binary cross-entropy and its
/// gradient with one exp per element (about 2.3 ns an element: 0.23 ms for a 128 x 784 batch). Scoring's plain
/// sigmoid uses TensorPrimitives.
/// Accuracy: a few float ulps (Cephes' expf polynomial; log1p from its atanh series).
/// </summary>
internal static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float MinExponent = -87.3f; // exp below this is subnormal: flush to the smallest normal's range

    /// <summary>exp(t) for t &lt;= 0 (larger t is not supported).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpNonPositive(Vector<float> t)
    {
        t = Vector.Max(t, new Vector<float>(MinExponent));
        Vector<float> n = Vector.Floor((t * Log2E) + new Vector<float>(0.5f));
        Vector<float> r = t - (n * Ln2Hi) - (n * Ln2Lo);
        Vector<float> p = new Vector<float>(1.9875691500E-4f);
        p = (p * r) + new Vector<float>(1.3981999507E-3f);
        p = (p * r) + new Vector<float>(8.3334519073E-3f);
        p = (p * r) + new Vector<float>(4.1665795894E-2f);
        p = (p * r) + new Vector<float>(1.6666665459E-1f);
        p = (p * r) + new Vector<float>(5.0000001201E-1f);
        p = (p * r * r) + r + Vector<float>.One;
        Vector<int> bits = Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23);
        return p * Vector.AsVectorSingle(bits);
    }

    /// <summary>log(1 + e) for e in [0, 1]: 2 atanh(s) with s = e / (2 + e) &lt;= 1/3, accurate even for tiny e.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1pUnit(Vector<float> e)
    {
        Vector<float> s = e / (new Vector<float>(2f) + e);
        Vector<float> z = s * s;
        Vector<float> p = new Vector<float>(1f / 13f);
        p = (p * z) + new Vector<float>(1f / 11f);
        p = (p * z) + new Vector<float>(1f / 9f);
        p = (p * z) + new Vector<float>(1f / 7f);
        p = (p * z) + new Vector<float>(1f / 5f);
        p = (p * z) + new Vector<float>(1f / 3f);
        p = (p * z) + Vector<float>.One;
        return 2f * s * p;
    }

    /// <summary>
    /// The logistic sigmoid, given e = exp(-|l|): 1 / (1 + e) where l &gt;= 0, e / (1 + e) elsewhere (no overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> SigmoidFromExp(Vector<float> l, Vector<float> e)
    {
        Vector<float> inverse = Vector<float>.One / (Vector<float>.One + e);
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(l, Vector<float>.Zero), inverse, e * inverse);
    }

    /// <summary>
    /// Binary cross-entropy from logits, summed: max(l, 0) - l x + log(1 + exp(-|l|)); writes (sigmoid(l) - x) *
    /// <paramref name="gradScale"/> into <paramref name="gradient"/> unless it is empty. One pass, one exp per element.
    /// </summary>
    /// <remarks>
    /// Not inlined, on purpose, like every vector loop a pool thread runs: the pool calls its work through a function
    /// pointer, and with dynamic PGO the JIT inlines hot bodies into that trampoline until its inlining budget runs out,
    /// leaving the Vector&lt;T&gt; operations of the loop as calls. On the worker thread alone, then: Adam's update took
    /// 0.72-1.14 ms per seed-model step on 2 threads instead of 0.35 ms.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static double BinaryCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> gradient, float gradScale)
    {
        bool withGradient = !gradient.IsEmpty;
        var sum = Vector<float>.Zero;
        var scale = new Vector<float>(gradScale);
        int i = 0;
        for (; i <= logits.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var l = new Vector<float>(logits[i..]);
            var t = new Vector<float>(x[i..]);
            Vector<float> e = ExpNonPositive(-Vector.Abs(l));
            sum += Vector.Max(l, Vector<float>.Zero) - (l * t) + Log1pUnit(e);
            if (withGradient)
            {
                ((SigmoidFromExp(l, e) - t) * scale).CopyTo(gradient[i..]);
            }
        }

        double total = Vector.Sum(sum);
        for (; i < logits.Length; i++)
        {
            float l = logits[i];
            float e = MathF.Exp(-MathF.Abs(l));
            total += MathF.Max(l, 0f) - (l * x[i]) + MathF.Log(1f + e);
            if (withGradient)
            {
                gradient[i] = ((l >= 0 ? 1f / (1f + e) : e / (1f + e)) - x[i]) * gradScale;
            }
        }

        return total;
    }
}
