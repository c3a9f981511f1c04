namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The VAE's per-row loss terms with their gradients, fused: reconstruction (from logits), the
/// reparameterization z = mean + exp(0.5 logvar) * eps, and KL(q(z|x) || N(0, I)).
/// </summary>
internal static class LossTerms
{
    /// <summary>
    /// Sum over rows and features of the reconstruction loss of targets <paramref name="x"/> given decoder
    /// <paramref name="logits"/> (pre-activation); writes dLoss/dlogits * <paramref name="gradScale"/> into
    /// <paramref name="dLogits"/> unless it is empty. BCE uses max(l,0) - l*x + log(1+exp(-|l|)), stable for any l.
    /// </summary>
    public static double Reconstruction(
        ReconstructionLoss loss, ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale)
    {
        double sum = 0;
        bool withGradient = !dLogits.IsEmpty;
        if (loss == ReconstructionLoss.BinaryCrossEntropy)
        {
            for (int i = 0; i < logits.Length; i++)
            {
                float l = logits[i];
                float t = x[i];
                sum += MathF.Max(l, 0f) - (l * t) + MathF.Log(1f + MathF.Exp(-MathF.Abs(l)));
                if (withGradient)
                {
                    dLogits[i] = (Sigmoid(l) - t) * gradScale;
                }
            }
        }
        else
        {
            for (int i = 0; i < logits.Length; i++)
            {
                float d = logits[i] - x[i];
                sum += d * d;
                if (withGradient)
                {
                    dLogits[i] = 2f * d * gradScale;
                }
            }
        }

        return sum;
    }

    private static float Sigmoid(float l) => 1f / (1f + MathF.Exp(-l));

    /// <summary>z = mean + exp(0.5 logvar) * eps, elementwise.</summary>
    public static void Reparameterize(ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance, ReadOnlySpan<float> eps, Span<float> z)
    {
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = mean[i] + (MathF.Exp(0.5f * logVariance[i]) * eps[i]);
        }
    }

    /// <summary>Sum over rows of KL(N(mean, exp(logvar)) || N(0, I)) = -0.5 * sum(1 + logvar - mean^2 - exp(logvar)).</summary>
    public static double Kl(ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance)
    {
        double sum = 0;
        for (int i = 0; i < mean.Length; i++)
        {
            float lv = logVariance[i];
            sum += -0.5 * (1.0 + lv - ((double)mean[i] * mean[i]) - Math.Exp(lv));
        }

        return sum;
    }

    /// <summary>
    /// Backward through the reparameterization and the KL term: from dLoss/dz (<paramref name="dz"/>) gives
    /// dmean = dz + w*mean*s and dlogvar = dz*eps*0.5*exp(0.5 logvar) + w*0.5*(exp(logvar) - 1)*s,
    /// where w is the KL weight and s the per-row gradient scale (1/rows).
    /// </summary>
    public static void ReparameterizeKlBackward(
        ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance, ReadOnlySpan<float> eps, ReadOnlySpan<float> dz,
        float klWeight, float gradScale, Span<float> dMean, Span<float> dLogVariance)
    {
        float w = klWeight * gradScale;
        for (int i = 0; i < mean.Length; i++)
        {
            float lv = logVariance[i];
            float std = MathF.Exp(0.5f * lv);
            dMean[i] = dz[i] + (w * mean[i]);
            dLogVariance[i] = (dz[i] * eps[i] * 0.5f * std) + (w * 0.5f * ((std * std) - 1f));
        }
    }

    /// <summary>Mean over features of the squared difference, per row: the reconstruction error column.</summary>
    public static void MeanSquaredError(ReadOnlySpan<float> x, ReadOnlySpan<float> reconstruction, int rows, int features, Span<float> errors)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> a = x.Slice(r * features, features);
            ReadOnlySpan<float> b = reconstruction.Slice(r * features, features);
            errors[r] = SquaredDistance(a, b) / features;
        }
    }

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
