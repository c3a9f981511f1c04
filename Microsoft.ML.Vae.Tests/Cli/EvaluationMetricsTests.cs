using Microsoft.ML.Vae.Cli.Commands;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class EvaluationMetricsTests
{
    [TestMethod]
    public void MetricsMatchPairCountingAndTheRatesAtTheThreshold()
    {
        // Highest first: 0.9 anomaly, 0.7 normal, 0.5 anomaly, 0.4 normal, 0.3 anomaly, 0.1 normal. Pairs won: 3 + 2 + 1 of 9.
        // Above 0.6: one anomaly and one normal row. Before the second normal row: two of the three anomalies.
        EvaluationMetrics m = EvaluationMetrics.Compute(
            [0.5f, 0.1f, 0.9f, 0.7f, 0.4f, 0.3f], [true, false, true, false, false, true], threshold: 0.6f, falsePositiveCount: 1);

        Assert.AreEqual(6, m.RowCount);
        Assert.AreEqual(3, m.AnomalyCount);
        Assert.AreEqual(6.0 / 9, m.AreaUnderRocCurve, 1e-12);
        Assert.AreEqual(1.0 / 3, m.DetectionRateAtThreshold, 1e-12);
        Assert.AreEqual(1.0 / 3, m.FalsePositiveRateAtThreshold, 1e-12);
        Assert.AreEqual(0.5, m.PrecisionAtThreshold, 1e-12);
        Assert.AreEqual(2.0 / 3, m.DetectionRateAtFalsePositiveCount, 1e-12);
        Assert.IsTrue(m.AreaUnderPrecisionRecallCurve is > 0 and <= 1, $"{m.AreaUnderPrecisionRecallCurve}");
    }

    [TestMethod]
    public void PrecisionIsUndefinedWhenNothingIsAboveTheThreshold()
    {
        EvaluationMetrics m = EvaluationMetrics.Compute([0.1f, 0.9f], [false, true], threshold: 1f, falsePositiveCount: 1);

        Assert.AreEqual(1.0, m.AreaUnderRocCurve, 1e-12);
        Assert.AreEqual(0.0, m.DetectionRateAtThreshold);
        Assert.IsTrue(double.IsNaN(m.PrecisionAtThreshold));
    }

    [TestMethod]
    public void OneClassIsRejectedWithTheCounts()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => EvaluationMetrics.Compute([0.1f, 0.2f], [true, true], 0.5f, 1));
        StringAssert.Contains(e.Message, "(2 anomalies, 0 normal rows)");
    }
}
