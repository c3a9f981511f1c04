using SkiaSharp;

namespace Microsoft.ML.Vae.Tests.Reports;

/// <summary>
/// A PNG decoded by SkiaSharp, for checks a reader would make: its size, that it is not blank, and whether a region
/// holds ink (anything other than the white background) or a given colour.
/// </summary>
internal sealed class DecodedPicture
{
    private readonly SKColor[] _pixels;

    private DecodedPicture(SKBitmap bitmap)
    {
        Width = bitmap.Width;
        Height = bitmap.Height;
        _pixels = bitmap.Pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Decodes <paramref name="png"/>, failing the test unless it is a PNG that is not blank.</summary>
    public static DecodedPicture Decode(ReadOnlySpan<byte> png, string name = "picture")
    {
        Assert.IsTrue(png.Length > 8 && png[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), $"{name} is not a PNG");
        using var bitmap = SKBitmap.Decode(png.ToArray());
        Assert.IsNotNull(bitmap, $"SkiaSharp cannot decode {name}");
        var picture = new DecodedPicture(bitmap);
        int ink = picture.InkPixels(0, 0, picture.Width, picture.Height);
        Assert.IsGreaterThan(picture.Width * picture.Height / 500, ink, $"{name} is (nearly) blank: {ink} of {picture.Width * picture.Height} pixels are not background");
        Assert.IsGreaterThan(2, picture._pixels.Distinct().Take(3).Count(), $"{name} has fewer than three colours");
        return picture;
    }

    /// <summary>Decodes a PNG file; see <see cref="Decode(ReadOnlySpan{byte}, string)"/>.</summary>
    public static DecodedPicture Load(string path) => Decode(File.ReadAllBytes(path), Path.GetFileName(path));

    public SKColor this[int x, int y] => _pixels[(y * Width) + x];

    /// <summary>Pixels in the rectangle that differ from white by more than anti-aliasing noise.</summary>
    public int InkPixels(int left, int top, int right, int bottom)
    {
        int count = 0;
        for (int y = Math.Max(0, top); y < Math.Min(Height, bottom); y++)
        {
            for (int x = Math.Max(0, left); x < Math.Min(Width, right); x++)
            {
                SKColor p = this[x, y];
                if (p.Red < 200 || p.Green < 200 || p.Blue < 200)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Whether some pixel is within <paramref name="tolerance"/> of <paramref name="color"/> in every channel.</summary>
    public bool Contains(SKColor color, int tolerance = 12) => Count(color, tolerance) > 0;

    /// <summary>Pixels within <paramref name="tolerance"/> of <paramref name="color"/> in every channel, in the whole
    /// picture or in the columns from <paramref name="left"/> on.</summary>
    public int Count(SKColor color, int tolerance = 12, int left = 0)
    {
        int count = 0;
        for (int y = 0; y < Height; y++)
        {
            for (int x = left; x < Width; x++)
            {
                SKColor p = this[x, y];
                if (Math.Abs(p.Red - color.Red) <= tolerance && Math.Abs(p.Green - color.Green) <= tolerance && Math.Abs(p.Blue - color.Blue) <= tolerance)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
