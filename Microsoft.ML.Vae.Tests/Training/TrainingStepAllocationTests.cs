using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

[TestClass]
public sealed class TrainingStepAllocationTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void SteadyStateTrainingStepAllocatesNothing(int threads)
    {
        var layout = new NetworkLayout(20, 3, [16, 8], ReconstructionLoss.BinaryCrossEntropy);
        var random = new DeterministicRandom(1);
        float[] parameters = VaeNetwork.CreateInitialized(layout, random).Parameters;
        float[] rows = SyntheticData.Manifold(100, 20, seed: 2).SelectMany(r => r).ToArray();
        int[] order = Enumerable.Range(0, 100).Reverse().ToArray();
        var x = new float[32 * 20];
        var eps = new float[32 * 3];
        var gradients = new float[parameters.Length];
        using var pool = threads > 1 ? new WorkerPool(threads) : null;
        var step = new TrainingStep(layout, 32, pool);
        var adam = new Adam(parameters.Length, 1e-3f);
        var clipping = new GradientClipping(parameters.Length);

        void OneStep()
        {
            MiniBatch.Fill(rows, 20, order.AsSpan(0, 32), x, random, eps, pool);
            step.Run(parameters, x, 32, eps, 0.5f, gradients);
            clipping.Clip(gradients, 1f, pool);
            adam.Step(parameters, gradients, pool);
        }

        long allocated = Allocations.SteadyState(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                OneStep();
            }
        });
        Assert.AreEqual(0L, allocated);
    }
}
