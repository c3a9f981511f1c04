using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Tests;

/// <summary>
/// Small deterministic data sets: rows near a 2-D manifold, optionally with planted off-manifold outliers, and
/// tabular rows in mixed units.
/// </summary>
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

    /// <summary>
    /// Sensor-like rows in their own units (temperatures near 25, pressures near 1000, speeds up to 1500...): eight
    /// continuous columns driven by two hidden factors, load and wear, plus noise.
    /// </summary>
    public static float[][] Tabular(int rows, int seed)
    {
        var random = new DeterministicRandom(seed);
        var noise = new float[8];
        var result = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            float load = (float)random.NextDouble(), wear = (float)random.NextDouble();
            random.FillGaussian(noise);
            result[r] =
            [
                20 + (10 * load) + (0.5f * noise[0]), 1000 + (50 * wear) + noise[1], 0.2f * load * wear, 5 + (3 * load) + (0.05f * noise[3]),
                230 + (2 * noise[4]), 1500 * load, (30 * wear) + load, 2 + (0.3f * noise[7]),
            ];
        }

        return result;
    }
}
