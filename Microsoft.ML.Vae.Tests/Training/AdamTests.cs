using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

[TestClass]
public sealed class AdamTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void TwoStepsMatchTheClosedFormAndReturnTheSquaredGradientNorm(int threads)
    {
        // 70,003 parameters: two full chunks of the pool's split and a tail shorter than a vector.
        const int count = 70_003;
        const float lr = 0.01f;
        var random = new Random(4);
        float[] g1 = Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] g2 = Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] parameters = Enumerable.Range(0, count).Select(i => i * 1e-5f).ToArray();
        using var pool = threads > 1 ? new WorkerPool(threads) : null;
        var adam = new Adam(count, lr);

        double squared1 = adam.Step(parameters, g1, pool);
        double squared2 = adam.Step(parameters, g2, pool);

        Assert.AreEqual(g1.Sum(g => (double)g * g), squared1, 1e-4 * squared1);
        Assert.AreEqual(g2.Sum(g => (double)g * g), squared2, 1e-4 * squared2);
        for (int i = 0; i < count; i += 997)
        {
            // PyTorch's Adam (beta1 0.9, beta2 0.999, eps 1e-8) in double precision.
            double p = i * 1e-5, m = 0, v = 0;
            foreach ((double g, int t) in new[] { ((double)g1[i], 1), (g2[i], 2) })
            {
                m = (0.9 * m) + (0.1 * g);
                v = (0.999 * v) + (0.001 * g * g);
                double denominator = (Math.Sqrt(v) / Math.Sqrt(1 - Math.Pow(0.999, t))) + 1e-8;
                p -= lr / (1 - Math.Pow(0.9, t)) * m / denominator;
            }

            Assert.AreEqual(p, parameters[i], 1e-6, $"parameter {i}");
        }
    }
}
