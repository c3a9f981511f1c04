using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// Adam (Kingma and Ba) with bias correction and PyTorch's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8).
/// Moment buffers are allocated once.
/// </summary>
internal sealed class Adam
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly double[] _chunkSquares;
    private readonly float _learningRate;
    private int _step;

    public Adam(int parameterCount, float learningRate)
    {
        _m = new float[parameterCount];
        _v = new float[parameterCount];
        _chunkSquares = new double[(parameterCount + ChunkLength - 1) / ChunkLength];
        _learningRate = learningRate;
    }

    /// <summary>
    /// One update of every parameter; elementwise, so splitting it over <paramref name="pool"/> changes no bits.
    /// Returns the squared L2 norm of <paramref name="gradients"/>, taken in the same pass (the trainer's divergence
    /// check, which otherwise costs a pass of its own over the gradients); chunk sums are added in chunk order, so it
    /// has the same bits for any thread count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Step(Span<float> parameters, ReadOnlySpan<float> gradients, WorkerPool? pool = null)
    {
        _step++;
        float correction1 = 1f - MathF.Pow(Beta1, _step);
        float correction2 = 1f - MathF.Pow(Beta2, _step);
        var update = new Update(parameters, gradients, _m, _v, _chunkSquares, _learningRate / correction1, 1f / MathF.Sqrt(correction2));
        WorkerPool.For(pool, _chunkSquares.Length, ref update);
        return TensorPrimitives.Sum<double>(_chunkSquares);
    }

    // Large enough to amortize handing out a chunk, small enough to balance two or more threads.
    private const int ChunkLength = 1 << 16;

    private readonly ref struct Update(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, double[] chunkSquares,
        float stepSize, float inverseRootCorrection2)
        : IWorkerPoolBody
    {
        private readonly Span<float> _parameters = parameters;
        private readonly ReadOnlySpan<float> _gradients = gradients;
        private readonly Span<float> _m = m;
        private readonly Span<float> _v = v;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index, int worker)
        {
            int start = index * ChunkLength;
            int length = Math.Min(ChunkLength, _parameters.Length - start);
            chunkSquares[index] = Apply(
                _parameters.Slice(start, length), _gradients.Slice(start, length), _m.Slice(start, length), _v.Slice(start, length),
                stepSize, inverseRootCorrection2);
        }
    }

    // Moments decay geometrically towards zero and would pass through the subnormal range, where x86 arithmetic is
    // tens of times slower (measured: epochs slowing from 22,600 to 14,700 rows/s). Below 1e-30 they are
    // negligible next to Epsilon², so they become exact zeros.
    private const float Tiny = 1e-30f;

    private static Vector<float> FlushTiny(Vector<float> x) =>
        Vector.ConditionalSelect(Vector.GreaterThan(Vector.Abs(x), new Vector<float>(Tiny)), x, Vector<float>.Zero);

    private static float FlushTiny(float x) => MathF.Abs(x) > Tiny ? x : 0f;

    // PyTorch divides sqrt(v) by sqrt(1 - beta2^t); multiplying by its inverse instead saves a division per element
    // (the update is bound by its divisions and square roots) and moves the denominator by at most an ulp.
    // NoInlining: see VectorMath.BinaryCrossEntropy; inlined into the pool's trampoline, this update ran 2.6x slower.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Apply(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, float stepSize, float inverseRootCorrection2)
    {
        int i = 0;
        double squares = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<float>.Count;
            var b1 = new Vector<float>(Beta1);
            var b2 = new Vector<float>(Beta2);
            var oneMinusB1 = new Vector<float>(1f - Beta1);
            var oneMinusB2 = new Vector<float>(1f - Beta2);
            var eps = new Vector<float>(Epsilon);
            var lr = new Vector<float>(stepSize);
            var irc2 = new Vector<float>(inverseRootCorrection2);
            var sumSquares = Vector<float>.Zero;
            for (; i <= parameters.Length - width; i += width)
            {
                var g = new Vector<float>(gradients[i..]);
                Vector<float> squared = g * g;
                sumSquares += squared;
                Vector<float> mi = FlushTiny((b1 * new Vector<float>(m[i..])) + (oneMinusB1 * g));
                Vector<float> vi = FlushTiny((b2 * new Vector<float>(v[i..])) + (oneMinusB2 * squared));
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                Vector<float> p = new Vector<float>(parameters[i..]) - (lr * mi / ((Vector.SquareRoot(vi) * irc2) + eps));
                p.CopyTo(parameters[i..]);
            }

            squares = Vector.Sum(sumSquares);
        }

        for (; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float squared = g * g;
            squares += squared;
            m[i] = FlushTiny((Beta1 * m[i]) + ((1f - Beta1) * g));
            v[i] = FlushTiny((Beta2 * v[i]) + ((1f - Beta2) * squared));
            parameters[i] -= stepSize * m[i] / ((MathF.Sqrt(v[i]) * inverseRootCorrection2) + Epsilon);
        }

        return squares;
    }
}
