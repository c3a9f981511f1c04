namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// An 8-bit image: <see cref="Width"/> x <see cref="Height"/> pixels of 1 channel (grayscale) or 3 channels (RGB),
/// stored row by row, channels interleaved.
/// </summary>
public sealed class Raster
{
    private readonly byte[] _pixels;

    /// <summary>Creates an image filled with <paramref name="fill"/> in every channel.</summary>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="channels">1 for grayscale, 3 for RGB.</param>
    /// <param name="fill">Initial value of every channel (0 black, 255 white).</param>
    public Raster(int width, int height, int channels = 1, byte fill = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 (grayscale) or 3 (RGB).");
        }

        if ((long)width * height * channels > Array.MaxLength)
        {
            throw new ArgumentException($"An image of {width}x{height}x{channels} is too large.", nameof(width));
        }

        Width = width;
        Height = height;
        Channels = channels;
        _pixels = new byte[width * height * channels];
        if (fill != 0)
        {
            _pixels.AsSpan().Fill(fill);
        }
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel: 1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The pixel bytes, row-major, <see cref="Channels"/> bytes per pixel.</summary>
    public Span<byte> Pixels => _pixels;

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Channels;

    /// <summary>
    /// A grayscale image from intensities in [0, 1] (clamped; NaN becomes 0), row-major <c>[height, width]</c>.
    /// </summary>
    public static Raster FromIntensities(ReadOnlySpan<float> values, int width, int height)
    {
        if (values.Length != (long)width * height)
        {
            throw new ArgumentException($"Expected {width}x{height} = {(long)width * height} values, got {values.Length}.", nameof(values));
        }

        var raster = new Raster(width, height);
        for (int i = 0; i < values.Length; i++)
        {
            raster._pixels[i] = ToByte(values[i]);
        }

        return raster;
    }

    /// <summary>Sets pixel (<paramref name="x"/>, <paramref name="y"/>) to a gray level (every channel).</summary>
    public void SetGray(int x, int y, byte value)
    {
        int offset = Offset(x, y);
        _pixels.AsSpan(offset, Channels).Fill(value);
    }

    /// <summary>Sets pixel (<paramref name="x"/>, <paramref name="y"/>) to a colour; a grayscale image stores its luma.</summary>
    public void SetRgb(int x, int y, byte red, byte green, byte blue)
    {
        int offset = Offset(x, y);
        if (Channels == 1)
        {
            _pixels[offset] = (byte)Math.Round((0.299 * red) + (0.587 * green) + (0.114 * blue));
            return;
        }

        _pixels[offset] = red;
        _pixels[offset + 1] = green;
        _pixels[offset + 2] = blue;
    }

    /// <summary>Reads channel <paramref name="channel"/> of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public byte GetChannel(int x, int y, int channel = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        return _pixels[Offset(x, y) + channel];
    }

    /// <summary>Encodes the image as PNG.</summary>
    public byte[] ToPng() => PngWriter.Encode(this);

    /// <summary>Writes the image as a PNG file (atomically: a reader never sees half a file).</summary>
    public void SavePng(string path) => PngWriter.Save(path, this);

    /// <summary>Maps an intensity in [0, 1] to a byte, clamping and treating NaN as 0.</summary>
    internal static byte ToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255f);

    private int Offset(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return ((y * Width) + x) * Channels;
    }
}
