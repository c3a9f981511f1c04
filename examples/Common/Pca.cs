using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace VaeMl.Examples;

/// <summary>
/// Principal component analysis: the covariance of the rows, its leading eigenvectors (MathNet's symmetric
/// eigen-decomposition), and the projection of rows onto them.
/// </summary>
public sealed class Pca
{
    private readonly float[] _mean;
    private readonly float[] _components;   // [componentCount, dimension], row-major

    private Pca(float[] mean, float[] components, int dimension, int componentCount, double[] explained)
    {
        _mean = mean;
        _components = components;
        Dimension = dimension;
        ComponentCount = componentCount;
        ExplainedVariance = explained;
    }

    /// <summary>Width of the input rows.</summary>
    public int Dimension { get; }

    /// <summary>Number of kept components.</summary>
    public int ComponentCount { get; }

    /// <summary>Variance along each kept component, largest first.</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Fits the <paramref name="componentCount"/> leading components of row-major <paramref name="rows"/>.</summary>
    public static Pca Fit(ReadOnlySpan<float> rows, int dimension, int componentCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(componentCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(componentCount, dimension);
        int n = rows.Length / dimension;
        if (n < 2 || n * dimension != rows.Length)
        {
            throw new ArgumentException($"PCA needs at least two rows of {dimension} values; got {rows.Length} values.");
        }

        var mean = new float[dimension];
        for (int i = 0; i < n; i++)
        {
            TensorPrimitives.Add(mean, rows.Slice(i * dimension, dimension), mean);
        }

        TensorPrimitives.Divide(mean, n, mean);

        // Upper triangle of sum(x x^T), skipping zero entries (most MNIST pixels), then centred.
        var second = new float[dimension * dimension];
        for (int i = 0; i < n; i++)
        {
            var row = rows.Slice(i * dimension, dimension);
            for (int a = 0; a < dimension; a++)
            {
                if (row[a] != 0)
                {
                    var target = second.AsSpan((a * dimension) + a, dimension - a);
                    TensorPrimitives.MultiplyAdd(row[a..], row[a], target, target);
                }
            }
        }

        var covariance = Matrix<double>.Build.Dense(dimension, dimension);
        for (int a = 0; a < dimension; a++)
        {
            for (int b = a; b < dimension; b++)
            {
                double value = (second[(a * dimension) + b] / (double)n) - ((double)mean[a] * mean[b]);
                covariance[a, b] = value;
                covariance[b, a] = value;
            }
        }

        var evd = covariance.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, dimension).OrderByDescending(i => evd.EigenValues[i].Real).Take(componentCount).ToArray();
        var components = new float[componentCount * dimension];
        for (int c = 0; c < componentCount; c++)
        {
            for (int j = 0; j < dimension; j++)
            {
                components[(c * dimension) + j] = (float)evd.EigenVectors[j, order[c]];
            }
        }

        return new Pca(mean, components, dimension, componentCount, order.Select(i => evd.EigenValues[i].Real).ToArray());
    }

    /// <summary>Projects row-major <paramref name="rows"/> onto the components: row-major <c>[n, ComponentCount]</c>.</summary>
    public float[] Transform(ReadOnlySpan<float> rows)
    {
        int n = rows.Length / Dimension;
        var centred = new float[Dimension];
        var result = new float[n * ComponentCount];
        for (int i = 0; i < n; i++)
        {
            TensorPrimitives.Subtract(rows.Slice(i * Dimension, Dimension), _mean, centred);
            for (int c = 0; c < ComponentCount; c++)
            {
                result[(i * ComponentCount) + c] = TensorPrimitives.Dot(centred, _components.AsSpan(c * Dimension, Dimension));
            }
        }

        return result;
    }
}
