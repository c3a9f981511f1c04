using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

[TestClass]
public sealed class MiniBatchTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void FillCopiesTheChosenRowsAndDrawsTheSerialNoiseSequence(int threads)
    {
        // 37 rows: two full copy items and a short one.
        const int features = 5, latent = 3, rows = 37;
        float[] source = Enumerable.Range(0, 100 * features).Select(i => (float)i).ToArray();
        int[] indices = Enumerable.Range(0, rows).Select(i => (i * 53) % 100).ToArray();
        var batch = new float[rows * features];
        var noise = new float[rows * latent];
        using var pool = threads > 1 ? new WorkerPool(threads) : null;

        MiniBatch.Fill(source, features, indices, batch, new DeterministicRandom(9), noise, pool);

        for (int i = 0; i < rows; i++)
        {
            CollectionAssert.AreEqual(source.AsSpan(indices[i] * features, features).ToArray(), batch.AsSpan(i * features, features).ToArray(), $"row {i}");
        }

        var expected = new float[rows * latent];
        new DeterministicRandom(9).FillGaussian(expected);
        CollectionAssert.AreEqual(expected, noise);
    }
}
