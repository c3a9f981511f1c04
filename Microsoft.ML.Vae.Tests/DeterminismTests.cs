namespace Microsoft.ML.Vae.Tests;

[TestClass]
public sealed class DeterminismTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void SameOptionsSeedAndThreadsGiveIdenticalModels(int threads)
    {
        float[][] rows = SyntheticData.Manifold(300, 10, seed: 31);
        VaeOptions options = TestModels.Options() with { Epochs = 4, ThreadCount = threads, ValidationFraction = 0.2f, KlWarmupEpochs = 2 };
        VaeTransformer a = new VaeEstimator(options).Fit(rows);
        VaeTransformer b = new VaeEstimator(options).Fit(rows);

        CollectionAssert.AreEqual(a.Network.Parameters, b.Network.Parameters);
        Assert.AreEqual(a.Threshold, b.Threshold);
        VaePrediction[] pa = a.Transform(rows);
        VaePrediction[] pb = b.Transform(rows);
        for (int r = 0; r < rows.Length; r++)
        {
            Assert.AreEqual(pa[r].Score, pb[r].Score);
            CollectionAssert.AreEqual(pa[r].LatentMean, pb[r].LatentMean);
        }
    }

    [TestMethod]
    public void DifferentSeedsGiveDifferentModels()
    {
        float[][] rows = SyntheticData.Manifold(100, 6, seed: 32);
        VaeTransformer a = new VaeEstimator(TestModels.Options() with { Epochs = 1, Seed = 1 }).Fit(rows);
        VaeTransformer b = new VaeEstimator(TestModels.Options() with { Epochs = 1, Seed = 2 }).Fit(rows);
        CollectionAssert.AreNotEqual(a.Network.Parameters, b.Network.Parameters);
    }
}
