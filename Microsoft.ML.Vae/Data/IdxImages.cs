namespace Microsoft.ML.Vae;

/// <summary>
/// Images read from an IDX file: <see cref="Count"/> images of <see cref="Height"/> x <see cref="Width"/> pixels,
/// stored row-major in one buffer, each pixel scaled from 0..255 to [0, 1].
/// </summary>
public sealed class IdxImages
{
    private readonly float[] _pixels;

    internal IdxImages(float[] pixels, int count, int height, int width)
    {
        _pixels = pixels;
        Count = count;
        Height = height;
        Width = width;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Pixel rows per image (28 for MNIST).</summary>
    public int Height { get; }

    /// <summary>Pixel columns per image (28 for MNIST).</summary>
    public int Width { get; }

    /// <summary>Pixels per image, <c>Height * Width</c>: the feature count of one row.</summary>
    public int PixelCount => Height * Width;

    /// <summary>All pixels, row-major <c>[Count, PixelCount]</c>, each image stored row by row.</summary>
    public ReadOnlyMemory<float> Pixels => _pixels;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, Count).</exception>
    public ReadOnlySpan<float> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _pixels.AsSpan(index * PixelCount, PixelCount);
    }

    /// <summary>The images as a feature matrix (one row per image), sharing this buffer without copying.</summary>
    /// <exception cref="ArgumentException">There are no images.</exception>
    public FeatureMatrix ToFeatureMatrix() => new(_pixels, Count, PixelCount);

    /// <summary>Copies the images into one array per image (the row form <c>VaeEstimator.Fit</c> takes).</summary>
    public float[][] ToRows()
    {
        var rows = new float[Count][];
        for (int i = 0; i < Count; i++)
        {
            rows[i] = GetImage(i).ToArray();
        }

        return rows;
    }
}
