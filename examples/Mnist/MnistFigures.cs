using System.Globalization;
using MathNet.Numerics.Distributions;
using Microsoft.ML.Vae;
using Microsoft.ML.Vae.Reports;

namespace VaeMl.Examples.Mnist;

/// <summary>
/// The example's pictures: each method builds one figure from the model and the test images, titled and labelled so
/// it reads on its own, outside the report.
/// </summary>
public static class MnistFigures
{
    /// <summary>Displayed width of one manifold tile: 20 tiles make the grid as wide as a chart.</summary>
    private const int ManifoldTile = 40;

    /// <summary>Scatter of 2-D points coloured by digit (a legend entry per digit present).</summary>
    public static ScatterChart LatentMap(ReadOnlySpan<float> points, byte[] labels, string title, string xLabel, string yLabel)
    {
        var byDigit = Enumerable.Range(0, 10).Select(_ => new List<(double, double)>()).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            byDigit[labels[i] % 10].Add((points[2 * i], points[(2 * i) + 1]));
        }

        var chart = new ScatterChart { Title = title, XLabel = xLabel, YLabel = yLabel };
        for (int digit = 0; digit < 10; digit++)
        {
            if (byDigit[digit].Count > 0)
            {
                chart.AddSeries(string.Create(CultureInfo.InvariantCulture, $"digit {digit}"), byDigit[digit], ChartPalette.Get(digit));
            }
        }

        return chart;
    }

    /// <summary>
    /// Decodes a <paramref name="size"/> x <paramref name="size"/> grid of latent points spaced at evenly spaced
    /// quantiles (5%..95%) of the N(0, 1) prior along the first two latent axes (others held at 0), each column and
    /// row labelled with its coordinate (one row along z1 for a 1-D latent space).
    /// </summary>
    public static Picture Manifold(VaeTransformer model, int width, int height, int size = 20)
    {
        ArgumentNullException.ThrowIfNull(model);
        int latent = model.LatentDimension;
        double[] quantiles = Enumerable.Range(0, size).Select(i => Normal.InvCDF(0, 1, 0.05 + (0.9 * i / (size - 1)))).ToArray();
        int rows = latent > 1 ? size : 1;
        string rest = latent switch
        {
            1 or 2 => "",
            3 => " (z3 = 0)",
            _ => string.Create(CultureInfo.InvariantCulture, $" (z3..z{latent} = 0)"),
        };
        var grid = new ImageGrid(width, height)
        {
            Title = $"Decoded from a grid over the latent space{rest}",
            XLabel = "z1",
            YLabel = latent > 1 ? "z2" : "",
            ColumnLabels = quantiles.Select(Coordinate).ToArray(),
            TileWidth = ManifoldTile,
            Gap = 0,
        };
        for (int row = 0; row < rows; row++)
        {
            var latentRow = new float[size][];
            double z2 = quantiles[size - 1 - row];     // up the picture = up the axis
            for (int column = 0; column < size; column++)
            {
                var z = new float[latent];
                z[0] = (float)quantiles[column];
                if (latent > 1)
                {
                    z[1] = (float)z2;
                }

                latentRow[column] = z;
            }

            grid.AddRow(model.Decode(latentRow), latent > 1 ? Coordinate(z2) : null);
        }

        return grid.Render();
    }

    /// <summary>Pairs of rows, each labelled: originals above their reconstructions.</summary>
    public static Picture Reconstructions(float[][] originals, float[][] reconstructions, int width, int height, int perRow)
    {
        var grid = new ImageGrid(width, height) { Title = "Test images and their reconstructions" };
        for (int start = 0; start < originals.Length; start += perRow)
        {
            int count = Math.Min(perRow, originals.Length - start);
            grid.AddRow(originals.AsSpan(start, count).ToArray(), "original");
            grid.AddRow(reconstructions.AsSpan(start, count).ToArray(), "reconstruction");
        }

        return grid.Render();
    }

    /// <summary>Images decoded from draws of the prior.</summary>
    public static Picture Samples(float[][] samples, int width, int height, int columns) =>
        new ImageGrid(width, height)
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"{samples.Length} images decoded from z ~ N(0, I)"),
        }.AddRows(samples, columns).Render();

    /// <summary>Three labelled rows: noisy inputs, their reconstructions, the clean originals.</summary>
    public static Picture Denoising(float[][] noisy, float[][] denoised, float[][] originals, int width, int height, double noiseShare) =>
        new ImageGrid(width, height)
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"Denoising: {noiseShare:0%} of the pixels set to black or white"),
        }.AddRow(noisy, "noisy").AddRow(denoised, "denoised").AddRow(originals, "clean").Render();

    /// <summary>Training loss and its reconstruction term per epoch.</summary>
    public static LineChart LossCurves(IReadOnlyList<VaeEpochReport> history)
    {
        var chart = new LineChart { Title = "Training loss per epoch", XLabel = "epoch", YLabel = "nats per image" };
        chart.AddSeries("loss (-ELBO)", history.Select(r => ((double)r.Epoch, (double)r.Loss)));
        chart.AddSeries("reconstruction", history.Select(r => ((double)r.Epoch, (double)r.ReconstructionLoss)));
        if (history.Any(r => !float.IsNaN(r.ValidationLoss)))
        {
            chart.AddSeries("validation loss", history.Select(r => ((double)r.Epoch, (double)r.ValidationLoss)));
        }

        return chart;
    }

    /// <summary>KL divergence from the prior per epoch.</summary>
    public static LineChart KlCurve(IReadOnlyList<VaeEpochReport> history)
    {
        var chart = new LineChart { Title = "KL divergence from the prior per epoch", XLabel = "epoch", YLabel = "nats per image" };
        chart.AddSeries("KL(q(z|x) || p(z))", history.Select(r => ((double)r.Epoch, (double)r.KlDivergence)), ChartPalette.Get(3));
        return chart;
    }

    /// <summary>Histogram of test anomaly scores with the model's threshold.</summary>
    public static Histogram Scores(ReadOnlySpan<float> scores, float threshold)
    {
        var chart = new Histogram
        {
            Title = "Anomaly scores of the test images",
            XLabel = "reconstruction error (mean squared error per pixel)",
            YLabel = "test images",
            BinCount = 60,
        };
        chart.AddSeries("test images", scores.ToArray().Select(s => (double)s));
        chart.AddMarker(threshold, string.Create(CultureInfo.InvariantCulture, $"threshold {threshold:F4}"));
        return chart;
    }

    private static string Coordinate(double z) => z.ToString("F2", CultureInfo.InvariantCulture);
}
