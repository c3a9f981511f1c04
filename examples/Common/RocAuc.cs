namespace VaeMl.Examples;

/// <summary>Area under the ROC curve, computed exactly as the Mann-Whitney U statistic (ties count one half).</summary>
public static class RocAuc
{
    /// <summary>
    /// The probability that a random positive scores higher than a random negative.
    /// </summary>
    /// <param name="scores">One score per item; higher means "more likely positive".</param>
    /// <param name="positive">One label per item.</param>
    /// <exception cref="ArgumentException">Lengths differ, or one class is absent.</exception>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {positive.Length} labels.");
        }

        int n = scores.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        float[] keys = scores.ToArray();
        Array.Sort(keys, order);

        // Sum of the positives' ranks, giving tied scores their average rank.
        double rankSum = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start])
            {
                end++;
            }

            double averageRank = ((start + end) / 2.0) + 1;
            for (int i = start; i <= end; i++)
            {
                if (positive[order[i]])
                {
                    rankSum += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"ROC-AUC needs both classes ({positives} positives, {negatives} negatives).");
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
