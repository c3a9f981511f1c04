using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// Per-row scores from a scoring pass (z = latent mean): the reconstruction error and the negative ELBO. The ONNX export
/// builds the same formulas from graph operators (<see cref="Onnx.OnnxExporter"/>).
/// </summary>
internal static class RowScores
{
    /// <summary>Probabilities are clamped to [Epsilon, 1 - Epsilon] before the logarithm of binary cross-entropy.</summary>
    public const float BinaryCrossEntropyEpsilon = 1e-7f;

    /// <summary>
    /// Negative ELBO of each row at z = latent mean: the reconstruction loss summed over features plus
    /// KL(N(mean, exp(logvar)) || N(0, I)). <paramref name="decoded"/> is the decoder's output after its activation
    /// (probabilities for binary cross-entropy); <paramref name="difference"/> is scratch of F values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NegativeElbo(
        VaeNetwork network, ReadOnlySpan<float> x, ReadOnlySpan<float> decoded, ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance,
        int rows, Span<float> scores, Span<float> difference)
    {
        NetworkLayout layout = network.Layout;
        int f = layout.FeatureCount, l = layout.LatentDimension;
        ReadOnlySpan<float> precision = network.OutputPrecision;
        float constant = network.OutputLogNormalizer;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> target = x.Slice(r * f, f), output = decoded.Slice(r * f, f);
            float reconstruction;
            switch (layout.Loss)
            {
                case ReconstructionLoss.BinaryCrossEntropy:
                    reconstruction = BinaryCrossEntropy(target, output);
                    break;
                case ReconstructionLoss.Gaussian:
                    TensorPrimitives.Subtract(target, output, difference);
                    TensorPrimitives.Multiply(difference, difference, difference);
                    reconstruction = (0.5f * TensorPrimitives.Dot(difference, precision)) + constant;
                    break;
                default:
                    float distance = TensorPrimitives.Distance(target, output);
                    reconstruction = distance * distance;
                    break;
            }

            scores[r] = reconstruction + (float)LossTerms.Kl(mean.Slice(r * l, l), logVariance.Slice(r * l, l));
        }
    }

    /// <summary>-sum(x log p + (1 - x) log(1 - p)) with p clamped away from 0 and 1.</summary>
    private static float BinaryCrossEntropy(ReadOnlySpan<float> x, ReadOnlySpan<float> p)
    {
        float sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            float q = Math.Clamp(p[j], BinaryCrossEntropyEpsilon, 1f - BinaryCrossEntropyEpsilon);
            sum -= (x[j] * MathF.Log(q)) + ((1f - x[j]) * MathF.Log(1f - q));
        }

        return sum;
    }
}
