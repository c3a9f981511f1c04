using System.Text;
using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Tests.Reports;

[TestClass]
public sealed class PngWriterTests
{
    [TestMethod]
    public void Crc32_MatchesTheStandardCheckValue() =>
        Assert.AreEqual(0xCBF43926u, PngDecoder.Crc(Encoding.ASCII.GetBytes("123456789")));

    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(1, 1, 3)]
    [DataRow(7, 5, 1)]
    [DataRow(13, 9, 3)]
    [DataRow(64, 40, 1)]
    public void Encode_DecodesBackToTheSamePixels(int width, int height, int channels)
    {
        var image = new Raster(width, height, channels);
        var random = new Random(width * 31 + height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Mix smooth regions (favouring Sub/Up/Average/Paeth) with noise (favouring None).
                if (y % 3 == 0)
                {
                    image.SetRgb(x, y, (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                }
                else
                {
                    image.SetRgb(x, y, (byte)(x * 5), (byte)(y * 7), (byte)(x + y));
                }
            }
        }

        var (decoded, chunks, _) = PngDecoder.Decode(PngWriter.Encode(image));

        Assert.AreEqual(width, decoded.Width);
        Assert.AreEqual(height, decoded.Height);
        Assert.AreEqual(channels, decoded.Channels);
        CollectionAssert.AreEqual(new[] { "IHDR", "IDAT", "IEND" }, chunks);
        CollectionAssert.AreEqual(image.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [TestMethod]
    public void Encode_UsesSeveralFilterTypesOnMixedContent()
    {
        var image = new Raster(32, 32, 3);
        var random = new Random(5);
        for (int y = 0; y < 32; y++)
        {
            for (int x = 0; x < 32; x++)
            {
                byte noise = (byte)random.Next(256);
                image.SetRgb(x, y, y < 16 ? noise : (byte)(x * 8), y < 16 ? noise : (byte)(x * 8), (byte)(y < 16 ? 0 : x));
            }
        }

        var (decoded, _, filters) = PngDecoder.Decode(PngWriter.Encode(image));

        Assert.IsGreaterThan(1, filters.Distinct().Count(), $"filters used: {string.Join(",", filters)}");
        CollectionAssert.AreEqual(image.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [TestMethod]
    public void Save_WritesTheFileAndLeavesNoTemporaryFiles()
    {
        string dir = Path.Combine(Path.GetTempPath(), "vaeml-png-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "nested", "gray.png");
            var image = Raster.FromIntensities([0f, 0.5f, 1f, 2f, -1f, float.NaN], 3, 2);

            image.SavePng(path);

            var (decoded, _, _) = PngDecoder.Decode(File.ReadAllBytes(path));
            CollectionAssert.AreEqual(new byte[] { 0, 128, 255, 255, 0, 0 }, decoded.Pixels.ToArray());
            Assert.HasCount(1, Directory.GetFiles(Path.Combine(dir, "nested")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void Raster_RejectsUnsupportedChannelCount() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Raster(2, 2, channels: 4));

    [TestMethod]
    public void FromIntensities_RejectsWrongValueCount()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Raster.FromIntensities(new float[5], 2, 3));

        StringAssert.Contains(ex.Message, "2x3");
    }
}
