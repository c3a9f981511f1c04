namespace VaeMl.Examples.AnomalyDetection;

/// <summary>One detector's quality on the test set, as ML.NET's <c>AnomalyDetection.Evaluate</c> measures it.</summary>
/// <param name="RocAuc">AreaUnderRocCurve of the detector's Score, other digits as the anomalies.</param>
/// <param name="DetectionRate">DetectionRateAtFalsePositiveCount: share of other-digit images ranked above the (K+1)-th image of the normal digit.</param>
public sealed record DetectorResult(double RocAuc, double DetectionRate);
