using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>The corruption of denoising training (<see cref="VaeOptions.InputNoise"/>): salt-and-pepper noise on scaled values.</summary>
internal static class SaltAndPepper
{
    /// <summary>
    /// noisy = clean, except that each value, with probability <paramref name="probability"/>, becomes 0 or 1 (equally
    /// likely); one uniform draw per value decides both, so the stream does not depend on the values.
    /// </summary>
    public static void Corrupt(ReadOnlySpan<float> clean, Span<float> noisy, float probability, DeterministicRandom random)
    {
        double half = probability / 2.0;
        for (int i = 0; i < clean.Length; i++)
        {
            double u = random.NextDouble();
            noisy[i] = u >= probability ? clean[i] : u < half ? 0f : 1f;
        }
    }
}
