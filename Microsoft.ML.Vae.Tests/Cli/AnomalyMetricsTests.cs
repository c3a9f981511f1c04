using Microsoft.ML.Vae.Cli.Commands;
using Microsoft.ML.Vae.Cli.Evaluation;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class AnomalyMetricsTests
{
    [TestMethod]
    public void PerfectSeparation()
    {
        AnomalyMetrics m = AnomalyMetrics.Compute(new float[] { 0.1f, 0.9f, 0.2f, 0.8f }, new[] { false, true, false, true }, threshold: 0.5f, falsePositiveCount: 0);
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
        AnomalyMetrics m = AnomalyMetrics.Compute(new float[] { 0.5f, 0.1f, 0.9f, 0.7f, 0.5f }, new[] { true, false, true, false, false }, 0.6f, 1);
        Assert.AreEqual((3 + 1.5) / 6, m.AreaUnderRocCurve, 1e-12);
        Assert.AreEqual((1.0 + 2.0 / 4) / 2, m.AreaUnderPrecisionRecallCurve, 1e-12);
        Assert.AreEqual(0.5, m.DetectionRateAtThreshold, 1e-12);
        Assert.AreEqual(0.5, m.DetectionRateAtFalsePositiveCount, 1e-12, "the tie group with the 2nd false positive is cut");
        Assert.AreEqual(1.0 / 3, m.FalsePositiveRateAtThreshold, 1e-12);
    }

    [TestMethod]
    public void OneClassIsRejected() =>
        Assert.ThrowsExactly<ArgumentException>(() => AnomalyMetrics.Compute(new float[] { 1, 2 }, new[] { false, false }, 0, 1));

    [TestMethod]
    public void SelectTopKeepsLargestErrorsInOrder()
    {
        var index = new int[2];
        var error = new float[2];
        BlockScorer.SelectTop([1, 2, 3, 4], [1, 0, 3, 1], index, error);
        CollectionAssert.AreEqual(new[] { 3, 1 }, index);
        CollectionAssert.AreEqual(new[] { 9f, 4f }, error);
    }
}
