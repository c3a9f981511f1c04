using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed class ImageGridTests
{
    [TestMethod]
    public void Tile_PlacesImagesWithPaddingAndScale()
    {
        // Three 2x1 images, two per row, padding 1, scale 2: cells are (2+1)*2 = 6 wide and (1+1)*2 = 4 high.
        float[][] images = [[0f, 1f], [0.2f, 0.4f], [1f, 0f]];

        var grid = ImageGrid.Tile(images, imageWidth: 2, imageHeight: 1, columns: 2, padding: 1, scale: 2, background: 77);

        Assert.AreEqual((2 * 6) + 2, grid.Width);
        Assert.AreEqual((2 * 4) + 2, grid.Height);
        Assert.AreEqual(77, grid.GetChannel(0, 0));
        Assert.AreEqual(0, grid.GetChannel(2, 2));      // image 0, pixel (0, 0), enlarged block
        Assert.AreEqual(0, grid.GetChannel(3, 3));
        Assert.AreEqual(255, grid.GetChannel(4, 2));    // image 0, pixel (1, 0)
        Assert.AreEqual(77, grid.GetChannel(6, 2));     // padding between tiles
        Assert.AreEqual(51, grid.GetChannel(8, 2));     // image 1, pixel (0, 0) = 0.2
        Assert.AreEqual(255, grid.GetChannel(2, 6));    // image 2, second row
        Assert.AreEqual(77, grid.GetChannel(8, 6));     // empty cell stays background
    }

    [TestMethod]
    public void TileRows_IsAsWideAsTheLongestRow()
    {
        float[] digit = new float[28 * 28];
        IReadOnlyList<float[]>[] rows = [[digit, digit, digit], [digit]];

        var grid = ImageGrid.TileRows(rows, 28, 28, padding: 2);

        Assert.AreEqual((3 * 30) + 2, grid.Width);
        Assert.AreEqual((2 * 30) + 2, grid.Height);
    }

    [TestMethod]
    public void Tile_NamesTheImageWithTheWrongSize()
    {
        float[][] images = [new float[4], new float[4], new float[3]];

        var ex = Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.Tile(images, 2, 2, columns: 2));

        StringAssert.Contains(ex.Message, "Image 0 of row 1");
    }
}
