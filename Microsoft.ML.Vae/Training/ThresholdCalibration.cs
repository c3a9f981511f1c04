namespace Microsoft.ML.Vae.Training;

/// <summary>The anomaly threshold: the (1 - contamination) quantile of the training rows' scores.</summary>
internal static class ThresholdCalibration
{
    /// <summary>Linear interpolation between order statistics (NumPy's default quantile); contamination 0 gives the maximum.</summary>
    public static float Quantile(ReadOnlySpan<float> scores, float contamination)
    {
        float[] sorted = scores.ToArray();
        Array.Sort(sorted);
        double position = (1.0 - contamination) * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        double fraction = position - lower;
        return (float)(sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction));
    }
}
