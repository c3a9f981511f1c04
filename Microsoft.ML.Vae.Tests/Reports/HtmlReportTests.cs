using System.Text.RegularExpressions;
using Microsoft.ML.Vae.Reports;
using Microsoft.ML.Vae.Tests.Data;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed partial class HtmlReportTests
{
    [GeneratedRegex("<img alt=\"([^\"]*)\" width=\"(\\d+)\" height=\"(\\d+)\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">")]
    private static partial Regex Image();

    [TestMethod]
    public void ToHtml_EmbedsPicturesWithAltTextAndEscapesText()
    {
        var report = new HtmlReport("VAE <report>", "run 1") { CreatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero) };
        var grid = new ImageGrid(2, 2) { Title = "grid" }.AddRow([[0f, 1f, 0.5f, 0.25f]]).Render();
        report.AddSection("Pictures", "a < b & c")
            .AddImage(grid, "a grid of one image", "grid")
            .AddChart(new LineChart { Title = "Loss" }.AddSeries("loss", [3.0, 2, 1]), "loss \"per\" epoch", "loss");
        report.AddSection("Numbers").AddTable(["digit", "AUC"], [["0", "0.99"], ["1", "<1>"]]);

        string html = report.ToHtml();

        StringAssert.Contains(html, "<title>VAE &lt;report&gt;</title>");
        StringAssert.Contains(html, "a &lt; b &amp; c");
        StringAssert.Contains(html, "<td>&lt;1&gt;</td>");
        StringAssert.Contains(html, $"Written 2026-03-04 05:06 UTC by Microsoft.ML.Vae {HtmlReport.LibraryVersion}.");
        Assert.MatchesRegex(@"^\d+\.\d+\.\d+", HtmlReport.LibraryVersion);
        Assert.AreEqual(2, Regex.Matches(html, "<h2>").Count);

        var images = Image().Matches(html);
        Assert.HasCount(2, images);
        Assert.AreEqual("a grid of one image", images[0].Groups[1].Value);
        Assert.AreEqual("loss &quot;per&quot; epoch", images[1].Groups[1].Value);
        foreach (Match image in images)
        {
            var picture = DecodedPicture.Decode(Convert.FromBase64String(image.Groups[4].Value));
            Assert.AreEqual(image.Groups[2].Value, picture.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.AreEqual(image.Groups[3].Value, picture.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.AreEqual(grid.Width, DecodedPicture.Decode(Convert.FromBase64String(images[0].Groups[4].Value)).Width);
    }

    [TestMethod]
    public void AddImage_RequiresAltText()
    {
        var picture = new ImageGrid(1, 1).AddRow([[1f]]).Render();

        Assert.ThrowsExactly<ArgumentException>(() => new HtmlReport("r").AddSection("s").AddImage(picture, " "));
    }

    [TestMethod]
    public void AddTable_NamesTheRowWithTheWrongCellCount()
    {
        var section = new HtmlReport("r").AddSection("s");

        var ex = Assert.ThrowsExactly<ArgumentException>(() => section.AddTable(["a", "b"], [["1", "2"], ["3"]]));

        StringAssert.Contains(ex.Message, "Row 1");
    }

    [TestMethod]
    public void Save_WritesOneSelfContainedFile()
    {
        using var dir = new TempDirectory();
        var report = new HtmlReport("r");
        report.AddSection("s").AddImage(new ImageGrid(3, 3).AddRow([new float[9]]).Render(), "a black square");
        string path = Path.Combine(dir.Path, "report.html");

        report.Save(path);

        Assert.AreEqual(report.ToHtml(), File.ReadAllText(path));
        Assert.HasCount(1, Directory.GetFiles(dir.Path));
    }
}
