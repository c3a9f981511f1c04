namespace Microsoft.ML.Vae.Tests;

[TestClass]
public sealed class AnomalyDetectionMetricsTests
{
    [TestMethod]
    public void PerfectSeparation()
    {
        AnomalyDetectionMetrics m = AnomalyDetectionMetrics.Compute(new float[] { 0.1f, 0.9f, 0.2f, 0.8f }, new[] { false, true, false, true }, threshold: 0.5f, falsePositiveCount: 0);
        Assert.AreEqual(1.0, m.AreaUnderRocCurve, 1e-12);
        Assert.AreEqual(1.0, m.AreaUnderPrecisionRecallCurve, 1e-12);
        Assert.AreEqual(1.0, m.DetectionRateAtThreshold, 1e-12);
        Assert.AreEqual(0.0, m.FalsePositiveRateAtThreshold, 1e-12);
        Assert.AreEqual(1.0, m.DetectionRateAtFalsePositiveCount, 1e-12);
    }

    [TestMethod]
    public void TiesCountHalfAndRankingMatchesHandComputation()
    {
        // Sorted: 0.9 (+), 0.7 (-), 0.5 (+), 0.5 (-), 0.1 (-). Positive 1 beats 3 negatives; positive 2 beats 1 and ties 1.
        AnomalyDetectionMetrics m = AnomalyDetectionMetrics.Compute(new float[] { 0.5f, 0.1f, 0.9f, 0.7f, 0.5f }, new[] { true, false, true, false, false }, 0.6f, 1);
        Assert.AreEqual((3 + 1.5) / 6, m.AreaUnderRocCurve, 1e-12);
        Assert.AreEqual((1.0 + 2.0 / 4) / 2, m.AreaUnderPrecisionRecallCurve, 1e-12);
        Assert.AreEqual(0.5, m.DetectionRateAtThreshold, 1e-12);
        Assert.AreEqual(0.5, m.DetectionRateAtFalsePositiveCount, 1e-12, "the tie group with the 2nd false positive is cut");
        Assert.AreEqual(1.0 / 3, m.FalsePositiveRateAtThreshold, 1e-12);
    }

    [TestMethod]
    public void OneClassIsRejected() =>
        Assert.ThrowsExactly<ArgumentException>(() => AnomalyDetectionMetrics.Compute(new float[] { 1, 2 }, new[] { false, false }, 0, 1));

    [TestMethod]
    public void RocAucPerfectReversedAndTied()
    {
        Assert.AreEqual(1.0, Auc([0.1f, 0.2f, 0.8f, 0.9f], [false, false, true, true]), 1e-12);
        Assert.AreEqual(0.0, Auc([0.9f, 0.8f, 0.2f, 0.1f], [false, false, true, true]), 1e-12);
        Assert.AreEqual(0.5, Auc([0.5f, 0.5f, 0.5f, 0.5f], [false, true, false, true]), 1e-12);
    }

    [TestMethod]
    public void RocAucMatchesPairCounting()
    {
        // Positives 0.35, 0.8 against negatives 0.1, 0.4, 0.35: pairs won 1 + 0 + 0.5 + 1 + 1 + 1 = 4.5 of 6.
        Assert.AreEqual(0.75, Auc([0.1f, 0.35f, 0.4f, 0.8f, 0.35f], [false, true, false, true, false]), 1e-12);
    }

    [TestMethod]
    public void RocAucNeedsBothClasses() =>
        Assert.ThrowsExactly<ArgumentException>(() => Auc([0.1f, 0.2f], [true, true]));

    [TestMethod]
    public void TheCallersSpansAreNotReordered()
    {
        float[] scores = [0.9f, 0.1f, 0.5f];
        bool[] labels = [true, false, false];
        AnomalyDetectionMetrics.Compute(scores, labels, 0.5f, 0);
        CollectionAssert.AreEqual(new[] { 0.9f, 0.1f, 0.5f }, scores);
        CollectionAssert.AreEqual(new[] { true, false, false }, labels);
    }

    private static double Auc(float[] scores, bool[] labels) =>
        AnomalyDetectionMetrics.Compute(scores, labels, threshold: 0.5f, falsePositiveCount: 0).AreaUnderRocCurve;
}
