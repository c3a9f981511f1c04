using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Tests;

/// <summary>Small deterministic data sets: rows near a 2-D manifold, optionally with planted off-manifold outliers.</summary>
internal static class SyntheticData
{
    /// <summary>Rows x = sigmoid(A·z + b) + noise with z ~ N(0, I₂), clipped to [0, 1].</summary>
    public static float[][] Manifold(int rows, int features, int seed, float noise = 0.02f)
    {
        var random = new DeterministicRandom(seed);
        var mixing = new float[2 * features];
        random.FillGaussian(mixing);
        var z = new float[2];
        var eps = new float[features];
        var result = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            random.FillGaussian(z);
            random.FillGaussian(eps);
            var row = new float[features];
            for (int f = 0; f < features; f++)
            {
                float a = (1.5f * ((mixing[f] * z[0]) + (mixing[features + f] * z[1]))) + (0.3f * MathF.Sin(f));
                row[f] = Math.Clamp((1f / (1f + MathF.Exp(-a))) + (noise * eps[f]), 0f, 1f);
            }

            result[r] = row;
        }

        return result;
    }

    /// <summary>Manifold rows with <paramref name="outliers"/> uniform-random rows mixed in; labels mark the outliers.</summary>
    public static (float[][] Rows, bool[] IsOutlier) WithOutliers(int rows, int outliers, int features, int seed)
    {
        float[][] data = Manifold(rows, features, seed);
        var labels = new bool[rows];
        var random = new DeterministicRandom(seed + 1000);
        for (int i = 0; i < outliers; i++)
        {
            int r = random.NextInt(rows);
            while (labels[r])
            {
                r = random.NextInt(rows);
            }

            labels[r] = true;
            for (int f = 0; f < features; f++)
            {
                data[r][f] = (float)random.NextDouble();
            }
        }

        return (data, labels);
    }
}
