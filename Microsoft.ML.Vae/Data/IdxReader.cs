using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Vae;

/// <summary>
/// Reads the MNIST IDX files (Y. LeCun's format): unsigned-byte images (magic <c>0x00000803</c>, three big-endian
/// dimensions: count, rows, columns) and unsigned-byte labels (magic <c>0x00000801</c>, one dimension: count).
/// A name ending in <c>.gz</c> is decompressed on the fly.
/// </summary>
/// <remarks>
/// Every malformed file (wrong magic number, zero or oversized dimensions, truncated data, trailing bytes, a corrupt
/// gzip stream) raises <see cref="InvalidDataException"/> whose message names the file and what was wrong.
/// A missing file raises <see cref="FileNotFoundException"/>. No buffer is sized from a header before the header
/// is checked against the file's length (or, for gzip, the buffer grows only as data actually arrives).
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with three dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with one dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    private const int ImagesHeaderLength = 16;
    private const int LabelsHeaderLength = 8;

    /// <summary>Reads an images file; pixels are scaled to [0, 1].</summary>
    /// <param name="path">The IDX images file, e.g. <c>train-images-idx3-ubyte</c> (or <c>.gz</c>).</param>
    /// <param name="maxCount">Read at most this many images (the first ones); the whole file is still validated
    /// when it is not compressed.</param>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX images file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxImages ReadImages(string path, int maxCount = int.MaxValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);

        using var file = OpenFile(path);
        Span<byte> header = stackalloc byte[ImagesHeaderLength];
        ReadHeader(file, path, header);
        CheckMagic(path, header, ImagesMagic, "images");
        int count = ReadDimension(path, header, 4, "image count");
        int height = ReadDimension(path, header, 8, "row count");
        int width = ReadDimension(path, header, 12, "column count");
        if (height == 0 || width == 0)
        {
            throw Invalid(path, $"declares images of {height}x{width} pixels; both sides must be positive");
        }

        long pixelsPerImage = (long)height * width;
        long declared = count * pixelsPerImage;
        CheckLength(file, path, ImagesHeaderLength + declared);

        int taken = Math.Min(count, maxCount);
        long needed = taken * pixelsPerImage;
        if (needed > Array.MaxLength)
        {
            throw Invalid(path, $"holds {needed} pixels, more than one array can hold; pass a smaller maxCount");
        }

        byte[] raw = ReadBody(file, path, ImagesHeaderLength, (int)needed, declared);
        var pixels = new float[raw.Length];
        const float Scale = 1f / 255f;
        for (int i = 0; i < raw.Length; i++)
        {
            pixels[i] = raw[i] * Scale;
        }

        return new IdxImages(pixels, taken, height, width);
    }

    /// <summary>Reads a labels file: one byte per item (0..9 for MNIST).</summary>
    /// <param name="path">The IDX labels file, e.g. <c>train-labels-idx1-ubyte</c> (or <c>.gz</c>).</param>
    /// <param name="maxCount">Read at most this many labels (the first ones).</param>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX labels file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static byte[] ReadLabels(string path, int maxCount = int.MaxValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);

        using var file = OpenFile(path);
        Span<byte> header = stackalloc byte[LabelsHeaderLength];
        ReadHeader(file, path, header);
        CheckMagic(path, header, LabelsMagic, "labels");
        int count = ReadDimension(path, header, 4, "label count");
        CheckLength(file, path, LabelsHeaderLength + (long)count);
        return ReadBody(file, path, LabelsHeaderLength, Math.Min(count, maxCount), count);
    }

    private static Stream OpenFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        }

        Stream stream = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(stream, CompressionMode.Decompress)
            : stream;
    }

    private static void ReadHeader(Stream file, string path, Span<byte> header)
    {
        int read = ReadFully(file, path, header);
        if (read < header.Length)
        {
            throw Invalid(path, $"is truncated: {read} bytes, shorter than the {header.Length}-byte IDX header");
        }
    }

    private static void CheckMagic(string path, ReadOnlySpan<byte> header, int expected, string kind)
    {
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expected)
        {
            throw Invalid(path, $"starts with magic number 0x{magic:X8}, not 0x{expected:X8} (IDX unsigned-byte {kind})");
        }
    }

    private static int ReadDimension(string path, ReadOnlySpan<byte> header, int offset, string name)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header[offset..]);
        if (value < 0)
        {
            throw Invalid(path, $"declares a negative {name} ({value})");
        }

        return value;
    }

    // A plain file's length is known: check it before allocating anything the header asked for.
    private static void CheckLength(Stream file, string path, long expected)
    {
        if (!file.CanSeek)
        {
            return;
        }

        long actual = file.Length;
        if (actual < expected)
        {
            throw Invalid(path, $"is truncated: {actual} bytes, but its header declares {expected}");
        }

        if (actual > expected)
        {
            throw Invalid(path, $"has {actual - expected} bytes after the {expected} its header declares");
        }
    }

    // Reads `wanted` body bytes. A compressed stream's length is unknown, so the buffer grows as data arrives
    // instead of trusting the header; reaching the end early is a truncation.
    private static byte[] ReadBody(Stream file, string path, int headerLength, int wanted, long declared)
    {
        if (file.CanSeek)
        {
            var exact = new byte[wanted];
            ReadFully(file, path, exact);
            return exact;
        }

        var buffer = new byte[Math.Min(wanted, 1 << 20)];
        int filled = 0;
        while (filled < wanted)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(wanted, (long)buffer.Length * 2));
            }

            int read = ReadFully(file, path, buffer.AsSpan(filled));
            filled += read;
            if (filled < buffer.Length)
            {
                throw Invalid(path, $"is truncated: {headerLength + filled} bytes after decompression, but its header declares {headerLength + declared}");
            }
        }

        if (wanted == declared)
        {
            Span<byte> probe = stackalloc byte[1];
            if (ReadFully(file, path, probe) != 0)
            {
                throw Invalid(path, $"has bytes after the {headerLength + declared} its header declares");
            }
        }

        return buffer;
    }

    private static int ReadFully(Stream file, string path, Span<byte> destination)
    {
        try
        {
            return file.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"IDX file '{path}' is not a valid gzip stream: {ex.Message}", ex);
        }
    }

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"IDX file '{path}' {problem}.");
}
