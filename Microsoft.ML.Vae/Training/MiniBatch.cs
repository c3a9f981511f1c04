using System.Runtime.CompilerServices;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// Fills one mini-batch: copies the chosen rows into a contiguous buffer and draws the reparameterization noise.
/// With a pool, the copies (scattered rows, bound by memory latency) and the noise run side by side; the noise always
/// comes from one thread in one sequence, so the batch has the same values for any thread count.
/// </summary>
/// <remarks>
/// Measured on MNIST at batch 128 and 2 threads: serially this took 0.08 ms of a 3.7 ms step of the seed model and
/// 0.12 ms of a 2.6 ms step of 784-400-20 (whose 20-wide noise costs more), time in which the second core sat idle;
/// side by side it takes 0.05 and 0.07 ms.
/// </remarks>
internal static class MiniBatch
{
    // Rows per copy item: enough to amortize handing the item out, few enough for two threads to share a batch.
    private const int RowsPerItem = 16;

    /// <summary>
    /// destination[i] = row indices[i] of <paramref name="source"/> ([*, features]), and
    /// <paramref name="noise"/> = the next standard normal draws of <paramref name="random"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(
        ReadOnlySpan<float> source, int features, ReadOnlySpan<int> indices, Span<float> destination, DeterministicRandom random,
        Span<float> noise, WorkerPool? pool)
    {
        var body = new Items(source, features, indices, destination, random, noise);
        WorkerPool.For(pool, 1 + ((indices.Length + RowsPerItem - 1) / RowsPerItem), ref body);
    }

    /// <summary>destination[i] = row indices[i] of <paramref name="source"/> ([*, features]), on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(ReadOnlySpan<float> source, int features, ReadOnlySpan<int> indices, Span<float> destination)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            source.Slice(indices[i] * features, features).CopyTo(destination.Slice(i * features, features));
        }
    }

    // Item 0 draws the noise; item i > 0 copies rows [(i - 1) * RowsPerItem, i * RowsPerItem).
    private readonly ref struct Items(
        ReadOnlySpan<float> source, int features, ReadOnlySpan<int> indices, Span<float> destination, DeterministicRandom random,
        Span<float> noise) : IWorkerPoolBody
    {
        private readonly ReadOnlySpan<float> _source = source;
        private readonly ReadOnlySpan<int> _indices = indices;
        private readonly Span<float> _destination = destination;
        private readonly Span<float> _noise = noise;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index, int worker)
        {
            if (index == 0)
            {
                random.FillGaussian(_noise);
                return;
            }

            int start = (index - 1) * RowsPerItem;
            int rows = Math.Min(RowsPerItem, _indices.Length - start);
            Gather(_source, features, _indices.Slice(start, rows), _destination.Slice(start * features, rows * features));
        }
    }
}
