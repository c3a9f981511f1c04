using System.Globalization;
using MathNet.Numerics.Distributions;
using Microsoft.ML.Vae;
using Microsoft.ML.Vae.Reports;

namespace VaeMl.Examples.Mnist;

/// <summary>The example's pictures: each method builds one figure from the model and the test images.</summary>
public static class MnistFigures
{
    /// <summary>Scatter of 2-D points coloured by digit (a legend entry per digit present).</summary>
    public static ScatterChart LatentMap(ReadOnlySpan<float> points, byte[] labels, string xLabel, string yLabel)
    {
        var byDigit = Enumerable.Range(0, 10).Select(_ => new List<(double, double)>()).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            byDigit[labels[i] % 10].Add((points[2 * i], points[(2 * i) + 1]));
        }

        var chart = new ScatterChart { Title = "Test digits in the latent space", XLabel = xLabel, YLabel = yLabel, Width = 720, Height = 600 };
        for (int digit = 0; digit < 10; digit++)
        {
            if (byDigit[digit].Count > 0)
            {
                chart.AddSeries(digit.ToString(CultureInfo.InvariantCulture), byDigit[digit], ChartPalette.Get(digit));
            }
        }

        return chart;
    }

    /// <summary>
    /// Decodes a <paramref name="size"/> x <paramref name="size"/> grid of latent points spaced at evenly spaced
    /// quantiles (5%..95%) of the N(0, 1) prior along the first two latent axes (others held at 0).
    /// </summary>
    public static Raster Manifold(VaeTransformer model, int width, int height, int size = 20)
    {
        ArgumentNullException.ThrowIfNull(model);
        double[] quantiles = Enumerable.Range(0, size).Select(i => Normal.InvCDF(0, 1, 0.05 + (0.9 * i / (size - 1)))).ToArray();
        var latent = new float[size * size][];
        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                var z = new float[model.LatentDimension];
                z[0] = (float)quantiles[column];
                if (z.Length > 1)
                {
                    z[1] = (float)quantiles[size - 1 - row];     // up the picture = up the axis
                }

                latent[(row * size) + column] = z;
            }
        }

        return ImageGrid.Tile(model.Decode(latent), width, height, columns: size, padding: 0);
    }

    /// <summary>Pairs of rows: originals above their reconstructions.</summary>
    public static Raster Reconstructions(float[][] originals, float[][] reconstructions, int width, int height, int perRow)
    {
        var rows = new List<IReadOnlyList<float[]>>();
        for (int start = 0; start < originals.Length; start += perRow)
        {
            int count = Math.Min(perRow, originals.Length - start);
            rows.Add(originals.AsSpan(start, count).ToArray());
            rows.Add(reconstructions.AsSpan(start, count).ToArray());
        }

        return ImageGrid.TileRows(rows, width, height, padding: 2, scale: 2);
    }

    /// <summary>Images decoded from draws of the prior.</summary>
    public static Raster Samples(float[][] samples, int width, int height, int columns) =>
        ImageGrid.Tile(samples, width, height, columns, padding: 2, scale: 2);

    /// <summary>Three rows: noisy inputs, their reconstructions, the clean originals.</summary>
    public static Raster Denoising(float[][] noisy, float[][] denoised, float[][] originals, int width, int height) =>
        ImageGrid.TileRows([noisy, denoised, originals], width, height, padding: 2, scale: 2);

    /// <summary>Training loss and its reconstruction term per epoch.</summary>
    public static LineChart LossCurves(IReadOnlyList<VaeEpochReport> history)
    {
        var chart = new LineChart { Title = "Training loss per epoch (nats per image)", XLabel = "epoch", YLabel = "nats" };
        chart.AddSeries("loss (-ELBO)", history.Select(r => ((double)r.Epoch, (double)r.Loss)));
        chart.AddSeries("reconstruction", history.Select(r => ((double)r.Epoch, (double)r.ReconstructionLoss)));
        if (history.Any(r => !float.IsNaN(r.ValidationLoss)))
        {
            chart.AddSeries("validation", history.Select(r => ((double)r.Epoch, (double)r.ValidationLoss)));
        }

        return chart;
    }

    /// <summary>KL divergence from the prior per epoch.</summary>
    public static LineChart KlCurve(IReadOnlyList<VaeEpochReport> history)
    {
        var chart = new LineChart { Title = "KL divergence per epoch", XLabel = "epoch", YLabel = "nats" };
        chart.AddSeries("KL", history.Select(r => ((double)r.Epoch, (double)r.KlDivergence)), ChartPalette.Get(3));
        return chart;
    }

    /// <summary>Histogram of test anomaly scores with the model's threshold.</summary>
    public static Histogram Scores(ReadOnlySpan<float> scores, float threshold)
    {
        var chart = new Histogram { Title = "Test reconstruction error (anomaly score)", XLabel = "mean squared error per pixel", BinCount = 60 };
        chart.AddSeries("test images", scores.ToArray().Select(s => (double)s));
        chart.AddMarker(threshold, string.Create(CultureInfo.InvariantCulture, $"threshold {threshold:F4}"));
        return chart;
    }
}
