using System.Numerics.Tensors;

namespace VaeMl.Examples;

/// <summary>
/// k-means (Lloyd's iterations) with k-means++ seeding, keeping the best of several seeded restarts by inertia.
/// Deterministic for a given seed.
/// </summary>
public static class KMeans
{
    /// <summary>Clusters row-major <paramref name="points"/> (<paramref name="dimension"/> values per point).</summary>
    /// <returns>The cluster index of each point, and the total squared distance to the assigned centres.</returns>
    public static (int[] Assignments, double Inertia) Cluster(
        ReadOnlySpan<float> points, int dimension, int k, int seed = 0, int restarts = 10, int maxIterations = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int n = points.Length / dimension;
        if (n * dimension != points.Length || n < k)
        {
            throw new ArgumentException($"Need at least k = {k} points of {dimension} values; got {points.Length} values.");
        }

        int[] best = [];
        double bestInertia = double.PositiveInfinity;
        for (int restart = 0; restart < restarts; restart++)
        {
            var (assignments, inertia) = Run(points, n, dimension, k, new Random(seed + (restart * 7919)), maxIterations);
            if (inertia < bestInertia)
            {
                (best, bestInertia) = (assignments, inertia);
            }
        }

        return (best, bestInertia);
    }

    private static (int[] Assignments, double Inertia) Run(ReadOnlySpan<float> points, int n, int d, int k, Random random, int maxIterations)
    {
        float[] centres = SeedPlusPlus(points, n, d, k, random);
        var assignments = new int[n];
        var sums = new double[k * d];
        var counts = new int[k];
        double inertia = 0;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            bool changed = iteration == 0;
            inertia = 0;
            for (int i = 0; i < n; i++)
            {
                var (nearest, distance) = Nearest(points.Slice(i * d, d), centres, k, d);
                inertia += distance;
                if (assignments[i] != nearest)
                {
                    assignments[i] = nearest;
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }

            Array.Clear(sums);
            Array.Clear(counts);
            for (int i = 0; i < n; i++)
            {
                int c = assignments[i];
                counts[c]++;
                for (int j = 0; j < d; j++)
                {
                    sums[(c * d) + j] += points[(i * d) + j];
                }
            }

            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    // An empty cluster restarts at a random point rather than vanishing.
                    points.Slice(random.Next(n) * d, d).CopyTo(centres.AsSpan(c * d, d));
                    continue;
                }

                for (int j = 0; j < d; j++)
                {
                    centres[(c * d) + j] = (float)(sums[(c * d) + j] / counts[c]);
                }
            }
        }

        return (assignments, inertia);
    }

    // k-means++: each next centre is drawn with probability proportional to its squared distance to the nearest one.
    private static float[] SeedPlusPlus(ReadOnlySpan<float> points, int n, int d, int k, Random random)
    {
        var centres = new float[k * d];
        points.Slice(random.Next(n) * d, d).CopyTo(centres);
        var distances = new double[n];
        for (int c = 1; c < k; c++)
        {
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                distances[i] = Nearest(points.Slice(i * d, d), centres, c, d).Distance;
                total += distances[i];
            }

            double target = random.NextDouble() * total;
            int chosen = n - 1;
            for (int i = 0; i < n; i++)
            {
                target -= distances[i];
                if (target <= 0)
                {
                    chosen = i;
                    break;
                }
            }

            points.Slice(chosen * d, d).CopyTo(centres.AsSpan(c * d, d));
        }

        return centres;
    }

    private static (int Index, double Distance) Nearest(ReadOnlySpan<float> point, float[] centres, int count, int d)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int c = 0; c < count; c++)
        {
            double distance = SquaredDistance(point, centres.AsSpan(c * d, d));
            if (distance < bestDistance)
            {
                (best, bestDistance) = (c, distance);
            }
        }

        return (best, bestDistance);
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float distance = TensorPrimitives.Distance(a, b);
        return (double)distance * distance;
    }
}
