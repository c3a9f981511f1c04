namespace VaeMl.Examples.AnomalyDetection;

/// <summary>
/// The per-image negative ELBO from the model's public outputs, with z = latent mean: binary cross-entropy of
/// the pixels against their reconstruction plus KL(q(z|x) || N(0, I)). Unlike the mean squared error, it
/// weighs a wrong stroke pixel by how confidently the decoder predicted it, and adds how unusual the code is.
/// </summary>
public static class NegativeElbo
{
    private const float Epsilon = 1e-6f;

    /// <summary>One value per row, in nats.</summary>
    public static float[] PerRow(ReadOnlySpan<float> pixels, ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> logVariance, int rows)
    {
        int width = pixels.Length / rows, latent = mean.Length / rows;
        var result = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double crossEntropy = 0;
            for (int j = i * width; j < (i + 1) * width; j++)
            {
                float p = Math.Clamp(reconstruction[j], Epsilon, 1 - Epsilon);
                crossEntropy -= (pixels[j] * Math.Log(p)) + ((1 - pixels[j]) * Math.Log(1 - p));
            }

            double kl = 0;
            for (int j = i * latent; j < (i + 1) * latent; j++)
            {
                kl += 0.5 * ((mean[j] * mean[j]) + Math.Exp(logVariance[j]) - 1 - logVariance[j]);
            }

            result[i] = (float)(crossEntropy + kl);
        }

        return result;
    }
}
