using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed partial class HtmlReportTests
{
    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex DataUri();

    [TestMethod]
    public void ToHtml_EmbedsImagesAndChartsAndEscapesText()
    {
        var report = new HtmlReport("VAE <report>", "run 1");
        var image = Raster.FromIntensities([0f, 1f, 0.5f, 0.25f], 2, 2);
        report.AddSection("Pictures", "a < b & c")
            .AddImage(image, "grid", displayScale: 4)
            .AddChart(new LineChart().AddSeries("loss", [3.0, 2, 1]), "loss");
        report.AddSection("Numbers").AddTable(["digit", "AUC"], [["0", "0.99"], ["1", "<1>"]]);

        string html = report.ToHtml();

        StringAssert.Contains(html, "<title>VAE &lt;report&gt;</title>");
        StringAssert.Contains(html, "a &lt; b &amp; c");
        StringAssert.Contains(html, "<td>&lt;1&gt;</td>");
        StringAssert.Contains(html, "width=\"8\"");
        Assert.AreEqual(2, Regex.Matches(html, "<h2>").Count);

        var match = DataUri().Match(html);
        Assert.IsTrue(match.Success, "a PNG data URI");
        var (decoded, _, _) = PngDecoder.Decode(Convert.FromBase64String(match.Groups[1].Value));
        CollectionAssert.AreEqual(image.Pixels.ToArray(), decoded.Pixels.ToArray());

        int start = html.IndexOf("<svg", StringComparison.Ordinal);
        int end = html.IndexOf("</svg>", StringComparison.Ordinal) + "</svg>".Length;
        Assert.IsGreaterThan(0, start);
        Assert.AreEqual("svg", XDocument.Parse(html[start..end]).Root!.Name.LocalName);
    }

    [TestMethod]
    public void AddTable_NamesTheRowWithTheWrongCellCount()
    {
        var section = new HtmlReport("r").AddSection("s");

        var ex = Assert.ThrowsExactly<ArgumentException>(() => section.AddTable(["a", "b"], [["1", "2"], ["3"]]));

        StringAssert.Contains(ex.Message, "Row 1");
    }

    [TestMethod]
    public void AddSvg_RejectsMarkupThatIsNotSvg() =>
        Assert.ThrowsExactly<ArgumentException>(() => new HtmlReport("r").AddSection("s").AddSvg("<script>alert(1)</script>"));

    [TestMethod]
    public void Save_WritesOneSelfContainedFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "vaeml-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var report = new HtmlReport("r");
            report.AddSection("s").AddImage(new Raster(3, 3, 3, 200));
            string path = Path.Combine(dir, "report.html");

            report.Save(path);

            Assert.AreEqual(report.ToHtml(), File.ReadAllText(path));
            Assert.HasCount(1, Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
