namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// A finished picture: PNG bytes and their pixel size. Charts and image grids render to one; it can be saved as a
/// <c>.png</c> file or embedded in an <see cref="HtmlReport"/>.
/// </summary>
public sealed class Picture
{
    private readonly byte[] _png;

    internal Picture(byte[] png, int width, int height)
    {
        _png = png;
        Width = width;
        Height = height;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The PNG file's bytes.</summary>
    public ReadOnlyMemory<byte> Png => _png;

    /// <summary>Writes the PNG file, atomically (a reader never sees half a file), creating its folder.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportFile.WriteAllBytes(path, _png);
    }
}
