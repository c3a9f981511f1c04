using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

/// <summary>Every parameter's analytic gradient against central finite differences of the batch loss.</summary>
[TestClass]
public sealed class GradientCheckTests
{
    [TestMethod]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy, new[] { 6, 4 }, 1)]
    [DataRow(ReconstructionLoss.SquaredError, new[] { 6, 4 }, 1)]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy, new int[0], 1)]
    [DataRow(ReconstructionLoss.SquaredError, new[] { 5 }, 1)]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy, new[] { 40, 24 }, 2)]
    [DataRow(ReconstructionLoss.SquaredError, new[] { 40, 24 }, 2)]
    [DataRow(ReconstructionLoss.Gaussian, new[] { 6, 4 }, 1)]
    [DataRow(ReconstructionLoss.Gaussian, new[] { 40, 24 }, 2)]
    public void AnalyticGradientMatchesFiniteDifferences(ReconstructionLoss loss, int[] hidden, int threads)
    {
        const int Features = 5, Latent = 2, Rows = 4;
        var layout = new NetworkLayout(Features, Latent, hidden, loss);
        var random = new DeterministicRandom(7);
        float[] parameters = VaeNetwork.CreateInitialized(layout, random).Parameters;
        int variances = loss == ReconstructionLoss.Gaussian ? Features : 0;
        for (int i = 0; i < parameters.Length - variances; i++)
        {
            parameters[i] += (float)(random.NextDouble() - 0.5) * 0.2f; // non-zero biases too
        }

        // The Gaussian decoder's log-variances come from a generator of their own, so the weights and the noise are those
        // of the squared-error case (whose ReLU kinks the test is tuned to); variances near 0.5 give about its loss.
        var varianceRandom = new DeterministicRandom(8);
        for (int j = 0; j < variances; j++)
        {
            parameters[layout.OutputLogVarianceOffset + j] = MathF.Log(0.5f) + ((float)(varianceRandom.NextDouble() - 0.5) * 0.4f);
        }

        float[] x = SyntheticData.Manifold(Rows, Features, seed: 3).SelectMany(r => r).ToArray();
        var eps = new float[Rows * Latent];
        random.FillGaussian(eps);

        // Beta 1.5 in the middle of warm-up: the KL weight is neither 0 nor 1.
        float klWeight = 1.5f * 0.4f;
        using WorkerPool? pool = threads > 1 ? new WorkerPool(threads) : null; // the fast path's parallel products
        var step = new TrainingStep(layout, Rows, pool);
        var gradients = new float[parameters.Length];
        step.Run(parameters, x, Rows, eps, klWeight, gradients);

        double Loss(float[] p) => step.Run(p, x, Rows, eps, klWeight, default).Total;

        double baseLoss = Loss(parameters);
        var failures = new List<string>();
        int checkedCount = 0, kinks = 0;
        foreach (DenseLayer layer in layout.AllLayers)
        {
            CheckRange(layer.WeightOffset, layer.WeightCount, $"W[{layer.Inputs}x{layer.Outputs}]");
            CheckRange(layer.BiasOffset, layer.Outputs, $"b[{layer.Outputs}]");
        }

        // The Gaussian decoder's log-variances are set in closed form between epochs: their gradient is 0 by design.
        Assert.IsTrue(gradients.AsSpan(parameters.Length - variances).IndexOfAnyExcept(0f) < 0, "log-variance gradients are 0");
        Assert.IsEmpty(failures, string.Join("\n", failures.Take(20)));
        Assert.AreEqual(parameters.Length - variances, checkedCount + kinks);
        Assert.IsLessThanOrEqualTo(parameters.Length / 100, kinks, $"{kinks} of {parameters.Length} parameters sat on a ReLU kink");

        void CheckRange(int offset, int count, string tensor)
        {
            for (int i = offset; i < offset + count; i++)
            {
                const float H = 1e-3f;
                float saved = parameters[i];
                parameters[i] = saved + H;
                double plus = Loss(parameters);
                parameters[i] = saved - H;
                double minus = Loss(parameters);
                parameters[i] = saved;
                double numeric = (plus - minus) / (2 * H);
                double analytic = gradients[i];

                // A ReLU switching inside [-H, H] bends the loss: the one-sided slopes disagree, and the central
                // difference measures neither side. Such elements are counted, not compared.
                double right = (plus - baseLoss) / H, left = (baseLoss - minus) / H;
                if (Math.Abs(right - left) > (0.05 * Math.Max(Math.Abs(right), Math.Abs(left))) + 0.02)
                {
                    kinks++;
                    continue;
                }

                checkedCount++;
                if (Math.Abs(numeric - analytic) > (1e-2 * Math.Max(Math.Abs(numeric), Math.Abs(analytic))) + 2e-3)
                {
                    failures.Add($"{tensor} element {i - offset}: analytic {analytic:G6}, numeric {numeric:G6}");
                }
            }
        }
    }
}
