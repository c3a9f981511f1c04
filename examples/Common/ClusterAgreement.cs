namespace VaeMl.Examples;

/// <summary>
/// Agreement between a clustering and the true classes: normalized mutual information (arithmetic-mean
/// normalization, as scikit-learn's default) and the adjusted Rand index. Both are 1 for a perfect match;
/// ARI is about 0 for a random assignment.
/// </summary>
public static class ClusterAgreement
{
    /// <summary>Normalized mutual information, in [0, 1].</summary>
    public static double NormalizedMutualInformation(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        var (table, rows, columns, n) = Contingency(truth, predicted);
        double mutual = 0;
        foreach (var ((r, c), count) in table)
        {
            mutual += count / n * Math.Log(count * n / (rows[r] * columns[c]));
        }

        double hTruth = Entropy(rows.Values, n), hPredicted = Entropy(columns.Values, n);
        double mean = (hTruth + hPredicted) / 2;
        return mean == 0 ? 1 : Math.Clamp(mutual / mean, 0, 1);
    }

    /// <summary>Adjusted Rand index, at most 1 (about 0 for chance).</summary>
    public static double AdjustedRandIndex(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        var (table, rows, columns, n) = Contingency(truth, predicted);
        static double Pairs(double k) => k * (k - 1) / 2;
        double index = table.Values.Sum(Pairs);
        double rowPairs = rows.Values.Sum(Pairs), columnPairs = columns.Values.Sum(Pairs);
        double expected = rowPairs * columnPairs / Pairs(n);
        double maximum = (rowPairs + columnPairs) / 2;
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }

    private static double Entropy(IEnumerable<double> counts, double n) =>
        -counts.Where(c => c > 0).Sum(c => c / n * Math.Log(c / n));

    private static (Dictionary<(int, int), double> Table, Dictionary<int, double> Rows, Dictionary<int, double> Columns, double N)
        Contingency(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (truth.Length != predicted.Length || truth.Length == 0)
        {
            throw new ArgumentException($"Need equally many, and some, labels ({truth.Length} true, {predicted.Length} predicted).");
        }

        var table = new Dictionary<(int, int), double>();
        var rows = new Dictionary<int, double>();
        var columns = new Dictionary<int, double>();
        for (int i = 0; i < truth.Length; i++)
        {
            table[(truth[i], predicted[i])] = table.GetValueOrDefault((truth[i], predicted[i])) + 1;
            rows[truth[i]] = rows.GetValueOrDefault(truth[i]) + 1;
            columns[predicted[i]] = columns.GetValueOrDefault(predicted[i]) + 1;
        }

        return (table, rows, columns, truth.Length);
    }
}
