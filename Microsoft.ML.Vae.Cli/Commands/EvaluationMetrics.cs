using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// What <c>vae evaluate</c> prints, all measured by ML.NET's evaluators: ROC-AUC and the detection rate at K false
/// positives by <c>AnomalyDetection.Evaluate</c>; PR-AUC and the rates at the model's threshold by
/// <c>BinaryClassification.EvaluateNonCalibrated</c> and its confusion matrix.
/// </summary>
internal sealed record EvaluationMetrics
{
    /// <summary>Rows evaluated.</summary>
    public long RowCount { get; init; }

    /// <summary>Rows labelled as anomalies.</summary>
    public long AnomalyCount { get; init; }

    /// <summary>ML.NET's AreaUnderRocCurve: the chance that a random anomaly scores above a random normal row.</summary>
    public double AreaUnderRocCurve { get; init; }

    /// <summary>ML.NET's AreaUnderPrecisionRecallCurve, anomalies as the positive class.</summary>
    public double AreaUnderPrecisionRecallCurve { get; init; }

    /// <summary>The model's threshold: rows scoring above it are predicted anomalies.</summary>
    public float Threshold { get; init; }

    /// <summary>Share of anomalies scoring above the threshold.</summary>
    public double DetectionRateAtThreshold { get; init; }

    /// <summary>Share of normal rows scoring above the threshold.</summary>
    public double FalsePositiveRateAtThreshold { get; init; }

    /// <summary>Share of rows above the threshold that are anomalies (NaN when none is).</summary>
    public double PrecisionAtThreshold { get; init; }

    /// <summary>K of <see cref="DetectionRateAtFalsePositiveCount"/>.</summary>
    public int FalsePositiveCount { get; init; }

    /// <summary>ML.NET's DetectionRateAtFalsePositiveCount: share of anomalies ranked above the (K+1)-th normal row, highest score first.</summary>
    public double DetectionRateAtFalsePositiveCount { get; init; }

    /// <summary>Evaluates <paramref name="scores"/> against <paramref name="labels"/> (true = anomaly).</summary>
    /// <exception cref="ArgumentException">The labels hold only one class, or <paramref name="falsePositiveCount"/> is below 1.</exception>
    public static EvaluationMetrics Compute(IReadOnlyList<float> scores, IReadOnlyList<bool> labels, float threshold, int falsePositiveCount)
    {
        long anomalies = labels.Count(label => label);
        if (anomalies == 0 || anomalies == labels.Count)
        {
            throw new ArgumentException(
                $"the label column needs both anomalies and normal rows to evaluate ({anomalies} anomalies, {labels.Count - anomalies} normal rows).");
        }

        var ml = new MLContext(seed: 0);
        IDataView data = ml.Data.LoadFromEnumerable(scores.Select((score, i) => new Row
        {
            Label = labels[i] ? 1f : 0f,
            Score = score,
            PredictedLabel = score > threshold,
            Margin = score - threshold,
        }));
        AnomalyDetectionMetrics anomaly = ml.AnomalyDetection.Evaluate(data, falsePositiveCount: falsePositiveCount);

        // The binary evaluator predicts "anomaly" for a score above 0, so it reads Score - Threshold, which keeps the scores' order.
        BinaryClassificationMetrics binary = ml.BinaryClassification.EvaluateNonCalibrated(data, scoreColumnName: nameof(Row.Margin));
        IReadOnlyList<IReadOnlyList<double>> counts = binary.ConfusionMatrix.Counts; // [truth][predicted], positive first
        double truePositives = counts[0][0], falseNegatives = counts[0][1], falsePositives = counts[1][0], trueNegatives = counts[1][1];
        double predicted = truePositives + falsePositives;
        return new EvaluationMetrics
        {
            RowCount = labels.Count,
            AnomalyCount = anomalies,
            AreaUnderRocCurve = anomaly.AreaUnderRocCurve,
            AreaUnderPrecisionRecallCurve = binary.AreaUnderPrecisionRecallCurve,
            Threshold = threshold,
            DetectionRateAtThreshold = truePositives / (truePositives + falseNegatives),
            FalsePositiveRateAtThreshold = falsePositives / (falsePositives + trueNegatives),
            PrecisionAtThreshold = predicted == 0 ? double.NaN : truePositives / predicted,
            FalsePositiveCount = falsePositiveCount,
            DetectionRateAtFalsePositiveCount = anomaly.DetectionRateAtFalsePositiveCount,
        };
    }

    /// <summary>One scored row as ML.NET's evaluators read it.</summary>
    private sealed class Row
    {
        public float Label { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }

        public float Margin { get; set; }
    }
}
