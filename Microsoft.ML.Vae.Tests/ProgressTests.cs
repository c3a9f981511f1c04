namespace Microsoft.ML.Vae.Tests;

[TestClass]
public sealed class ProgressTests
{
    [TestMethod]
    public void EveryEpochIsReportedWithLossesAndThroughput()
    {
        var recorder = new ProgressRecorder();
        var options = TestModels.Options() with { Epochs = 4, ValidationFraction = 0.2f };
        VaeTransformer model = new VaeEstimator(options).Fit(SyntheticData.Manifold(200, 6, seed: 41), recorder);

        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, recorder.Reports.Select(r => r.Epoch).ToArray());
        foreach (VaeEpochReport report in recorder.Reports)
        {
            Assert.IsGreaterThan(0, report.SamplesPerSecond);
            Assert.IsTrue(float.IsFinite(report.Loss) && float.IsFinite(report.ValidationLoss));
            Assert.AreEqual(report.ReconstructionLoss + (report.KlWeight * report.KlDivergence), report.Loss, 1e-3f * Math.Abs(report.Loss));
        }

        Assert.IsTrue(recorder.Reports.Zip(recorder.Reports.Skip(1)).All(p => p.Second.Elapsed >= p.First.Elapsed));
        CollectionAssert.AreEqual(recorder.Reports, model.TrainingSummary.History.ToList());
    }

    [TestMethod]
    public void ACancelledTokenStopsBeforeTheNextBatch()
    {
        using var cancellation = new CancellationTokenSource();
        var recorder = new ProgressRecorder(_ => cancellation.Cancel());
        var options = TestModels.Options() with { Epochs = 50 };
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            new VaeEstimator(options).Fit(SyntheticData.Manifold(200, 6, seed: 42), recorder, cancellation.Token));
        Assert.HasCount(1, recorder.Reports);
    }

    [TestMethod]
    public void AnAlreadyCancelledTokenTrainsNothing()
    {
        var recorder = new ProgressRecorder();
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            new VaeEstimator(TestModels.Options()).Fit(SyntheticData.Manifold(50, 6, seed: 43), recorder, new CancellationToken(canceled: true)));
        Assert.IsEmpty(recorder.Reports);
    }
}
