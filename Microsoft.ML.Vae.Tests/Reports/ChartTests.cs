using Microsoft.ML.Vae.Reports;
using Microsoft.ML.Vae.Tests.Data;
using SkiaSharp;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed class ChartTests
{
    [TestMethod]
    public void ScatterChart_DrawsEverySeriesColourTheTitleAndTheAxisLabels()
    {
        var chart = new ScatterChart { Title = "Latent map", XLabel = "z1", YLabel = "z2" };
        for (int digit = 0; digit < 10; digit++)
        {
            chart.AddSeries($"digit {digit}", Enumerable.Range(0, 50).Select(i => ((double)digit + (i * 0.01), Math.Sin(i) + digit)));
        }

        chart.AddSeries("with NaN", [(1, 1), (double.NaN, 2), (3, double.PositiveInfinity)]);

        var picture = DecodedPicture.Decode(chart.Render().Png.Span);

        Assert.AreEqual((Chart.Width, Chart.Height), (picture.Width, picture.Height));
        for (int digit = 0; digit < 10; digit++)
        {
            Assert.IsTrue(picture.Contains(SKColor.Parse(ChartPalette.Get(digit))), $"colour of digit {digit} missing");
        }

        AssertTitleAndAxisLabels(picture);
    }

    [TestMethod]
    public void LineChart_DrawsSeriesWithGapsAndALegend()
    {
        var chart = new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "nats" };
        chart.AddSeries("train", [5.0, 4, 3, 2.5, 2]);
        chart.AddSeries("validation", [5.5, 4.5, double.NaN, 3, 2.8]);

        var picture = DecodedPicture.Decode(chart.Render().Png.Span);

        Assert.IsTrue(picture.Contains(SKColor.Parse(ChartPalette.Get(0))));
        Assert.IsTrue(picture.Contains(SKColor.Parse(ChartPalette.Get(1))));
        AssertTitleAndAxisLabels(picture);
        // The legend sits right of the plot, where no data is drawn: both series' swatches are there.
        int legend = Chart.Width * 4 / 5;
        Assert.IsGreaterThan(5, picture.Count(SKColor.Parse(ChartPalette.Get(0)), left: legend), "legend entry of the first series");
        Assert.IsGreaterThan(5, picture.Count(SKColor.Parse(ChartPalette.Get(1)), left: legend), "legend entry of the second series");
    }

    [TestMethod]
    public void Histogram_DrawsBarsAndTheMarker()
    {
        Histogram Make(bool marker)
        {
            var chart = new Histogram { Title = "Scores", XLabel = "score", BinCount = 12, BarOpacity = 1 };
            chart.AddSeries("normal", Enumerable.Range(0, 100).Select(i => i / 100.0));
            chart.AddSeries("anomalous", [0.95, 0.97, 1.0]);
            return marker ? chart.AddMarker(0.8, "threshold 0.8") : chart;
        }

        var picture = DecodedPicture.Decode(Make(marker: true).Render().Png.Span);
        var unmarked = DecodedPicture.Decode(Make(marker: false).Render().Png.Span);

        Assert.IsTrue(picture.Contains(SKColor.Parse(ChartPalette.Get(0))));
        Assert.IsTrue(picture.Contains(SKColor.Parse(ChartPalette.Get(1))));
        // The dashed black line across the plot, and its legend entry.
        Assert.IsGreaterThan(unmarked.Count(SKColors.Black, 80) + 300, picture.Count(SKColors.Black, 80));
        AssertTitleAndAxisLabels(picture);
    }

    [TestMethod]
    public void Histogram_RejectsAMarkerAtInfinity() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Histogram().AddMarker(double.PositiveInfinity, "x"));

    [TestMethod]
    public void EmptyChart_StillShowsItsTitleAndAxes()
    {
        var picture = DecodedPicture.Decode(new ScatterChart { Title = "Nothing yet", XLabel = "x", YLabel = "y" }.Render().Png.Span);

        AssertTitleAndAxisLabels(picture);
    }

    [TestMethod]
    public void Save_WritesAPngFile()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "nested", "loss.png");

        new LineChart { Title = "a" }.AddSeries("a", [1.0, 2.0]).Save(path);

        var picture = DecodedPicture.Load(path);
        Assert.AreEqual(Chart.Width, picture.Width);
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [TestMethod]
    public void Charts_AreTheSameSize()
    {
        Chart[] charts =
        [
            new LineChart().AddSeries("a", [1.0, 2.0]),
            new ScatterChart().AddSeries("a", [(1.0, 2.0)]),
            new Histogram().AddSeries("a", [1.0, 2.0]),
        ];

        foreach (var chart in charts)
        {
            var picture = chart.Render();
            Assert.AreEqual((Chart.Width, Chart.Height), (picture.Width, picture.Height), chart.GetType().Name);
        }
    }

    // Text in the bands where the title (top), x label (bottom) and y label (left) go: fonts were found and drawn.
    private static void AssertTitleAndAxisLabels(DecodedPicture picture)
    {
        Assert.IsGreaterThan(30, picture.InkPixels(Chart.Width / 4, 0, Chart.Width * 3 / 4, 40), "title");
        Assert.IsGreaterThan(10, picture.InkPixels(Chart.Width / 4, Chart.Height - 30, Chart.Width * 3 / 4, Chart.Height), "x label");
        Assert.IsGreaterThan(10, picture.InkPixels(0, Chart.Height / 4, 30, Chart.Height * 3 / 4), "y label");
    }
}
