using System.Diagnostics;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>Timing shared by the benchmarks: the median of repeated samples, each long enough to time reliably.</summary>
internal static class Measurement
{
    /// <summary>
    /// Seconds per call of <paramref name="action"/>: the median over <paramref name="samples"/> samples, and the
    /// fastest sample (closer to the machine's capability when other processes compete for the cores).
    /// </summary>
    public static (double Median, double Best) Seconds(Action action, int samples = 21, double minSampleSeconds = 0.002, double warmUpSeconds = 0.05)
    {
        long warmUpEnd = Stopwatch.GetTimestamp() + (long)(warmUpSeconds * Stopwatch.Frequency);
        int calls = 0;
        long start = Stopwatch.GetTimestamp();
        do
        {
            action();
            calls++;
        }
        while (Stopwatch.GetTimestamp() < warmUpEnd || calls < 10);

        double perCall = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        int repetitions = Math.Max(1, (int)(minSampleSeconds / perCall));
        var times = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < repetitions; r++)
            {
                action();
            }

            times[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / repetitions;
        }

        Array.Sort(times);
        return (times[samples / 2], times[0]);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
