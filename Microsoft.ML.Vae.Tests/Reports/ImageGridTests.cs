using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed class ImageGridTests
{
    private const int Margin = 16;

    [TestMethod]
    public void Render_PlacesImagesAtTheirTileSizeWithGaps()
    {
        // Three 2x1 images, two per row, tiles 6 pixels wide (3 high), 2-pixel gaps, no text.
        float[][] images = [[0f, 1f], [0.2f, 0.4f], [1f, 0f]];

        var picture = DecodedPicture.Decode(new ImageGrid(2, 1) { TileWidth = 6, Gap = 2 }.AddRows(images, columns: 2).Render().Png.Span);

        Assert.AreEqual(Margin + 6 + 2 + 6 + Margin, picture.Width);
        Assert.AreEqual(Margin + 3 + 2 + 3 + Margin, picture.Height);
        Assert.AreEqual(255, picture[0, 0].Red);                   // margin
        Assert.AreEqual(0, picture[Margin + 1, Margin + 1].Red);   // image 0, value 0, enlarged 3x
        Assert.AreEqual(255, picture[Margin + 4, Margin + 1].Red); // image 0, value 1
        Assert.AreEqual(255, picture[Margin + 7, Margin + 1].Red); // gap
        Assert.AreEqual(51, picture[Margin + 9, Margin + 1].Red);  // image 1, value 0.2
        Assert.AreEqual(255, picture[Margin + 1, Margin + 6].Red); // image 2, second row
        Assert.AreEqual(255, picture[Margin + 9, Margin + 6].Red); // empty cell stays background
    }

    [TestMethod]
    public void Render_WritesTheTitleRowLabelsColumnLabelsAndAxisNames()
    {
        float[] black = new float[28 * 28];
        ImageGrid Grid() => new ImageGrid(28, 28).AddRow([black, black, black]).AddRow([black, black, black]);
        var bare = Grid().Render();
        var labelled = Grid();
        labelled.Title = "Decoded from a grid";
        labelled.XLabel = "z1";
        labelled.YLabel = "z2";
        labelled.ColumnLabels = ["-1.64", "0.00", "1.64"];
        var rows = new ImageGrid(28, 28) { Title = labelled.Title, XLabel = "z1", YLabel = "z2", ColumnLabels = labelled.ColumnLabels }
            .AddRow([black, black, black], "1.64")
            .AddRow([black, black, black], "-1.64");

        var picture = DecodedPicture.Decode(rows.Render().Png.Span);

        int extraLeft = picture.Width - bare.Width;
        int extraTop = picture.Height - bare.Height;
        Assert.IsGreaterThan(20, extraLeft, "room for the row labels and the y name");
        Assert.IsGreaterThan(40, extraTop, "room for the title, column labels and the x name");
        Assert.IsGreaterThan(20, picture.InkPixels(0, 0, picture.Width, Margin + 24), "title");
        Assert.IsGreaterThan(20, picture.InkPixels(0, 0, Margin + extraLeft - 2, picture.Height), "row labels and y name");
        Assert.IsGreaterThan(20, picture.InkPixels(0, picture.Height - Margin - 40, picture.Width, picture.Height), "column labels and x name");
    }

    [TestMethod]
    public void Render_StretchesToTheTileWidthKeepingTheAspectRatio()
    {
        var picture = new ImageGrid(14, 7) { TileWidth = 40, Gap = 0 }.AddRow([new float[98], new float[98]]).Render();

        Assert.AreEqual(Margin + 80 + Margin, picture.Width);
        Assert.AreEqual(Margin + 20 + Margin, picture.Height);
    }

    [TestMethod]
    public void AddRow_NamesTheImageWithTheWrongSize()
    {
        var grid = new ImageGrid(2, 2).AddRow([new float[4]]);

        var ex = Assert.ThrowsExactly<ArgumentException>(() => grid.AddRow([new float[4], new float[3]]));

        StringAssert.Contains(ex.Message, "Image 1 of row 1");
    }

    [TestMethod]
    public void AddRows_WrapsAfterTheGivenColumns()
    {
        var grid = new ImageGrid(1, 1).AddRows(Enumerable.Range(0, 7).Select(_ => new[] { 0.5f }).ToArray(), columns: 3);

        Assert.AreEqual(3, grid.RowCount);
    }
}
