using System.Numerics.Tensors;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>Global L2-norm gradient clipping (as torch.nn.utils.clip_grad_norm_).</summary>
internal sealed class GradientClipping
{
    // Chunks fixed by the buffer length alone, each summed into its own slot: the norm has the same bits for any thread count.
    private const int ChunkLength = 1 << 16;
    private readonly double[] _partialSums;

    public GradientClipping(int parameterCount) => _partialSums = new double[(parameterCount + ChunkLength - 1) / ChunkLength];

    /// <summary>Rescales <paramref name="gradients"/> to norm <paramref name="maxNorm"/> when larger (0 = off); returns the norm before clipping.</summary>
    public float Clip(Span<float> gradients, float maxNorm, WorkerPool? pool = null)
    {
        var sums = new ChunkSums(gradients, _partialSums);
        WorkerPool.For(pool, _partialSums.Length, ref sums);
        float norm = (float)Math.Sqrt(TensorPrimitives.Sum<double>(_partialSums));
        if (maxNorm > 0 && norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, maxNorm / norm, gradients);
        }

        return norm;
    }

    private readonly ref struct ChunkSums(Span<float> gradients, double[] partialSums) : IWorkerPoolBody
    {
        private readonly Span<float> _gradients = gradients;

        public void Invoke(int index, int worker)
        {
            int start = index * ChunkLength;
            partialSums[index] = TensorPrimitives.SumOfSquares(_gradients.Slice(start, Math.Min(ChunkLength, _gradients.Length - start)));
        }
    }
}
