namespace Microsoft.ML.Vae;

/// <summary>
/// Anomaly-detection quality of scores against labels (true = anomaly), named as ML.NET's AnomalyDetectionMetrics
/// (AreaUnderRocCurve, DetectionRateAtFalsePositiveCount) plus PR-AUC and the rates at a threshold.
/// </summary>
public sealed record AnomalyDetectionMetrics
{
    /// <summary>Rows evaluated.</summary>
    public long RowCount { get; init; }

    /// <summary>Rows labelled as anomalies.</summary>
    public long AnomalyCount { get; init; }

    /// <summary>Probability that a random anomaly scores above a random normal row (ties count half).</summary>
    public double AreaUnderRocCurve { get; init; }

    /// <summary>Average precision: the mean, over anomalies, of the precision at their score.</summary>
    public double AreaUnderPrecisionRecallCurve { get; init; }

    /// <summary>The threshold the rates at the threshold were measured at (score &gt; threshold = anomaly).</summary>
    public float Threshold { get; init; }

    /// <summary>Share of anomalies with PredictedLabel = true (score above the threshold).</summary>
    public double DetectionRateAtThreshold { get; init; }

    /// <summary>Share of normal rows with PredictedLabel = true.</summary>
    public double FalsePositiveRateAtThreshold { get; init; }

    /// <summary>Share of predicted anomalies that are anomalies (NaN when nothing is predicted).</summary>
    public double PrecisionAtThreshold { get; init; }

    /// <summary>K of <see cref="DetectionRateAtFalsePositiveCount"/>.</summary>
    public int FalsePositiveCount { get; init; }

    /// <summary>Share of anomalies ranked above the (K+1)-th normal row when sorting by score, highest first.</summary>
    public double DetectionRateAtFalsePositiveCount { get; init; }

    /// <summary>Computes the metrics of <paramref name="scores"/> (higher = more anomalous) against <paramref name="labels"/>.</summary>
    /// <param name="scores">One score per row.</param>
    /// <param name="labels">One label per row: true = anomaly.</param>
    /// <param name="threshold">Rows scoring above it count as predicted anomalies (a model's <see cref="VaeTransformer.Threshold"/>).</param>
    /// <param name="falsePositiveCount">K of the detection rate at K false positives.</param>
    /// <exception cref="ArgumentException">Lengths differ, or one class is absent.</exception>
    public static AnomalyDetectionMetrics Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, float threshold, int falsePositiveCount)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels.", nameof(labels));
        }

        // Sorted copies: the caller's spans stay as they are.
        float[] sortedScores = scores.ToArray();
        bool[] sortedLabels = labels.ToArray();
        return ComputeSorting(sortedScores, sortedLabels, threshold, falsePositiveCount);
    }

    private static AnomalyDetectionMetrics ComputeSorting(Span<float> scores, Span<bool> labels, float threshold, int falsePositiveCount)
    {
        long n = scores.Length;
        long positives = 0;
        long truePositives = 0, falsePositives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool predicted = scores[i] > threshold;
            if (labels[i])
            {
                positives++;
                truePositives += predicted ? 1 : 0;
            }
            else
            {
                falsePositives += predicted ? 1 : 0;
            }
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"the label column needs both anomalies and normal rows to evaluate ({positives} anomalies, {negatives} normal rows).");
        }

        // Highest score first; ties are handled as groups below, so their order does not matter.
        scores.Sort(labels, static (a, b) => b.CompareTo(a));

        double rocSum = 0; // sum over positives of (negatives ranked strictly below + half the tied negatives)
        double averagePrecision = 0;
        long seenPositives = 0, seenNegatives = 0;
        long detectedAtK = -1;
        for (int start = 0; start < scores.Length;)
        {
            int end = start;
            long groupPositives = 0;
            while (end < scores.Length && scores[end] == scores[start])
            {
                groupPositives += labels[end] ? 1 : 0;
                end++;
            }

            long groupNegatives = end - start - groupPositives;
            if (detectedAtK < 0 && seenNegatives + groupNegatives > falsePositiveCount)
            {
                detectedAtK = seenPositives; // the tie group that holds the (K+1)-th false positive is not detected
            }

            seenPositives += groupPositives;
            seenNegatives += groupNegatives;
            rocSum += groupPositives * (negatives - seenNegatives + 0.5 * groupNegatives);
            averagePrecision += groupPositives * ((double)seenPositives / (seenPositives + seenNegatives));
            start = end;
        }

        if (detectedAtK < 0)
        {
            detectedAtK = positives;
        }

        long predictedPositives = truePositives + falsePositives;
        return new AnomalyDetectionMetrics
        {
            RowCount = n,
            AnomalyCount = positives,
            AreaUnderRocCurve = rocSum / ((double)positives * negatives),
            AreaUnderPrecisionRecallCurve = averagePrecision / positives,
            Threshold = threshold,
            DetectionRateAtThreshold = (double)truePositives / positives,
            FalsePositiveRateAtThreshold = (double)falsePositives / negatives,
            PrecisionAtThreshold = predictedPositives == 0 ? double.NaN : (double)truePositives / predictedPositives,
            FalsePositiveCount = falsePositiveCount,
            DetectionRateAtFalsePositiveCount = (double)detectedAtK / positives,
        };
    }
}
