using System.Xml.Linq;
using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static List<XElement> Series(XDocument document) =>
        document.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series").ToList();

    [TestMethod]
    public void ScatterChart_DrawsOneCirclePerFinitePointAndALegend()
    {
        var chart = new ScatterChart { Title = "Latent <map> & co", XLabel = "z1", YLabel = "z2" };
        for (int digit = 0; digit < 10; digit++)
        {
            chart.AddSeries(digit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Enumerable.Range(0, digit + 1).Select(i => ((double)i, (double)digit)));
        }

        chart.AddSeries("with NaN", [(1, 1), (double.NaN, 2), (3, double.PositiveInfinity)]);

        var document = XDocument.Parse(chart.ToSvg());

        var series = Series(document);
        Assert.HasCount(11, series);
        Assert.AreEqual(55 + 1, series.Sum(g => g.Elements(Svg + "circle").Count()));
        Assert.AreEqual("#1f77b4", (string?)series[0].Attribute("fill"));
        Assert.AreEqual("#1f77b4", (string?)series[10].Attribute("fill"));   // the palette cycles after ten
        var legend = document.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend");
        Assert.HasCount(11, legend.Elements(Svg + "rect"));
        Assert.IsTrue(document.Descendants(Svg + "text").Any(t => t.Value == "Latent <map> & co"));
    }

    [TestMethod]
    public void ScatterChart_PointsLieInsideThePicture()
    {
        var chart = new ScatterChart { Width = 400, Height = 300 };
        chart.AddSeries("a", [(-123.4, 0.001), (987.6, 0.002), (5, 0.0015)]);

        var circles = XDocument.Parse(chart.ToSvg()).Descendants(Svg + "circle").ToList();

        Assert.HasCount(3, circles);
        foreach (var circle in circles)
        {
            double cx = (double)circle.Attribute("cx")!;
            double cy = (double)circle.Attribute("cy")!;
            Assert.IsTrue(cx is >= 0 and <= 400 && cy is >= 0 and <= 300, $"({cx}, {cy}) outside the picture");
        }
    }

    [TestMethod]
    public void LineChart_BreaksTheLineAtMissingValues()
    {
        var chart = new LineChart { Title = "Loss" };
        chart.AddSeries("train", [5.0, 4, 3, 2.5, 2]);
        chart.AddSeries("validation", [5.5, 4.5, double.NaN, 3, 2.8]);

        var series = Series(XDocument.Parse(chart.ToSvg()));

        Assert.HasCount(2, series);
        var train = series[0].Elements(Svg + "polyline").Single();
        Assert.HasCount(5, ((string)train.Attribute("points")!).Split(' '));
        Assert.HasCount(2, series[1].Elements(Svg + "polyline"));
    }

    [TestMethod]
    public void Histogram_DrawsBinCountBarsPerSeriesAndTheMarker()
    {
        var chart = new Histogram { BinCount = 12, XLabel = "score" };
        chart.AddSeries("normal", Enumerable.Range(0, 100).Select(i => i / 100.0));
        chart.AddSeries("anomalous", [0.95, 0.97, 1.0]);
        chart.AddMarker(0.8, "threshold");

        var document = XDocument.Parse(chart.ToSvg());

        var series = Series(document);
        Assert.HasCount(2, series);
        Assert.HasCount(12, series[0].Elements(Svg + "rect"));
        Assert.HasCount(12, series[1].Elements(Svg + "rect"));
        var marker = document.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "marker");
        Assert.AreEqual("threshold", marker.Element(Svg + "text")!.Value);

        // The anomalous values all fall into the last bin: it is the only non-empty bar of that series.
        var heights = series[1].Elements(Svg + "rect").Select(r => (double)r.Attribute("height")!).ToArray();
        Assert.AreEqual(1, heights.Count(h => h > 0));
        Assert.IsGreaterThan(0, heights[^1]);
    }

    [TestMethod]
    public void EmptyChart_StillRendersValidSvg()
    {
        var document = XDocument.Parse(new ScatterChart().ToSvg());

        Assert.AreEqual(Svg + "svg", document.Root!.Name);
        Assert.IsEmpty(Series(document));
    }

    [TestMethod]
    public void Save_WritesTheSvgFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaeml-chart-{Guid.NewGuid():N}.svg");
        try
        {
            new LineChart().AddSeries("a", [1.0, 2.0]).Save(path);

            Assert.AreEqual(Svg + "svg", XDocument.Load(path).Root!.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
