namespace Microsoft.ML.Vae.Tests.Training;

[TestClass]
public sealed class PosteriorCollapseTests
{
    private static readonly float[][] s_rows = SyntheticData.Tabular(2000, seed: 4);

    private static VaeOptions Options(ReconstructionLoss loss, FeatureScaling scaling) => new()
    {
        HiddenLayers = [32, 16],
        ReconstructionLoss = loss,
        Scaling = scaling,
        Epochs = 15,
        Seed = 1,
        ThreadCount = 1,
    };

    /// <summary>
    /// Binary cross-entropy on min-max scaled continuous columns (the old CLI defaults): the KL term wins and every
    /// row encodes to the prior. The summary says so, with the per-dimension figures it is based on.
    /// </summary>
    [TestMethod]
    public void CrossEntropyOnContinuousTabularDataIsReportedAsCollapsed()
    {
        VaeTrainingSummary summary = new VaeEstimator(Options(ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.MinMax)).Fit(s_rows).TrainingSummary;
        Assert.HasCount(2, summary.LatentKlDivergence);
        Assert.HasCount(2, summary.LatentMeanVariance);
        Assert.IsTrue(summary.PosteriorCollapse, $"KL {string.Join(", ", summary.LatentKlDivergence)}; variance {string.Join(", ", summary.LatentMeanVariance)}");
        Assert.AreEqual(2, summary.CollapsedLatentDimensions);
    }

    [TestMethod]
    public void SquaredErrorWithStandardScalingUsesTheLatentSpace()
    {
        VaeTrainingSummary summary = new VaeEstimator(Options(ReconstructionLoss.SquaredError, FeatureScaling.Standard)).Fit(s_rows).TrainingSummary;
        Assert.IsFalse(summary.PosteriorCollapse, $"KL {string.Join(", ", summary.LatentKlDivergence)}; variance {string.Join(", ", summary.LatentMeanVariance)}");
        Assert.IsTrue(summary.LatentKlDivergence.All(kl => kl > VaeTrainingSummary.CollapseThreshold));
    }

    /// <summary>The figures match a direct computation from the transformer's own latent outputs.</summary>
    [TestMethod]
    public void FiguresAreTheMeanKlAndTheVarianceOfTheLatentMeans()
    {
        VaeTransformer model = TestModels.Small;
        float[][] rows = TestModels.SmallRows;
        VaePrediction[] predictions = model.Transform(rows);
        for (int d = 0; d < model.LatentDimension; d++)
        {
            double[] means = [.. predictions.Select(p => (double)p.LatentMean[d])];
            double variance = means.Select(m => m * m).Average() - (means.Average() * means.Average());
            double kl = predictions.Average(p => -0.5 * (1 + p.LatentLogVariance[d] - (p.LatentMean[d] * p.LatentMean[d]) - Math.Exp(p.LatentLogVariance[d])));
            Assert.AreEqual(variance, model.TrainingSummary.LatentMeanVariance[d], 1e-4 * Math.Max(1, variance));
            Assert.AreEqual(kl, model.TrainingSummary.LatentKlDivergence[d], 1e-4 * Math.Max(1, kl));
        }
    }
}
