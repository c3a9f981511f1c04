namespace Microsoft.ML.Vae.Training;

/// <summary>
/// How much each latent dimension is used at the end of training: its mean KL divergence from the prior and the
/// variance of its latent mean over the training rows (the "active units" measure of Burda et al., 2016). Both near
/// zero for every dimension is posterior collapse (<see cref="VaeTrainingSummary.PosteriorCollapse"/>).
/// </summary>
internal static class LatentUsage
{
    /// <summary>At most this many rows (evenly spread) are encoded, so the cost stays bounded on large data.</summary>
    public const int MaxRows = 65_536;

    /// <summary>Encodes the scaled rows [rowCount, F] with the final weights; one pass, in fixed order, so the figures are deterministic.</summary>
    public static (float[] Kl, float[] MeanVariance) Measure(VaeNetwork network, ReadOnlySpan<float> scaled, int rowCount)
    {
        NetworkLayout layout = network.Layout;
        int features = layout.FeatureCount, latent = layout.LatentDimension;
        int used = Math.Min(rowCount, MaxRows);
        var workspace = new ScoringWorkspace(layout, Math.Min(used, ScoringWorkspace.DefaultRows));
        int chunk = workspace.Rows;
        double stride = rowCount / (double)used;
        float[] rows = workspace.Scaled; // the sampled rows (Encode uses other buffers)
        var klSum = new double[latent];
        var meanSum = new double[latent];
        var squareSum = new double[latent];
        for (int start = 0; start < used; start += chunk)
        {
            int count = Math.Min(chunk, used - start);
            for (int i = 0; i < count; i++)
            {
                int row = (int)((start + i) * stride);
                scaled.Slice(row * features, features).CopyTo(rows.AsSpan(i * features));
            }

            Span<float> mean = workspace.Mean.AsSpan(0, count * latent);
            Span<float> logVariance = workspace.LogVariance.AsSpan(0, count * latent);
            network.Encode(rows.AsSpan(0, count * features), count, mean, logVariance, workspace);
            for (int i = 0; i < mean.Length; i++)
            {
                int d = i % latent;
                double m = mean[i], lv = logVariance[i];
                klSum[d] += -0.5 * (1.0 + lv - (m * m) - Math.Exp(lv));
                meanSum[d] += m;
                squareSum[d] += m * m;
            }
        }

        var kl = new float[latent];
        var variance = new float[latent];
        for (int d = 0; d < latent; d++)
        {
            double average = meanSum[d] / used;
            kl[d] = (float)(klSum[d] / used);
            variance[d] = (float)Math.Max(0, (squareSum[d] / used) - (average * average));
        }

        return (kl, variance);
    }
}
