using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML.Vae.Reports.Images;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// Encodes a <see cref="Raster"/> as an 8-bit grayscale or RGB PNG (non-interlaced). Each scanline gets the
/// filter (None, Sub, Up, Average, Paeth) with the smallest sum of absolute values, the usual heuristic;
/// the filtered data is deflated with the BCL's <see cref="ZLibStream"/>.
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Returns the PNG bytes of <paramref name="image"/>.</summary>
    public static byte[] Encode(Raster image)
    {
        using var buffer = new MemoryStream();
        Write(buffer, image);
        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="image"/> as PNG to a file, atomically (temporary file, then rename).</summary>
    public static void Save(string path, Raster image)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] png = Encode(image);
        ReportFile.WriteAllBytes(path, png);
    }

    /// <summary>Writes <paramref name="image"/> as PNG to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Raster image)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(image);

        stream.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;                                  // bit depth
        header[9] = (byte)(image.Channels == 1 ? 0 : 2); // colour type: grayscale or truecolour
        header[10] = 0;                                 // deflate
        header[11] = 0;                                 // adaptive filtering
        header[12] = 0;                                 // no interlace
        WriteChunk(stream, "IHDR"u8, header);
        WriteChunk(stream, "IDAT"u8, CompressScanlines(image));
        WriteChunk(stream, "IEND"u8, []);
    }

    private static byte[] CompressScanlines(Raster image)
    {
        int stride = image.Stride;
        int bpp = image.Channels;
        ReadOnlySpan<byte> pixels = image.Pixels;
        var previous = new byte[stride];               // the row above the first row is zeros
        var candidate = new byte[stride];
        var best = new byte[stride + 1];

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride);
                long bestCost = long.MaxValue;
                for (byte filter = 0; filter <= 4; filter++)
                {
                    long cost = Filter(filter, row, previous, bpp, candidate);
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        best[0] = filter;
                        candidate.CopyTo(best, 1);
                    }
                }

                zlib.Write(best);
                row.CopyTo(previous);
            }
        }

        return compressed.ToArray();
    }

    // Filters one scanline into `output`; returns the sum of the filtered bytes read as signed values.
    private static long Filter(byte filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int bpp, Span<byte> output)
    {
        long cost = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0;
            int up = above[i];
            int upLeft = i >= bpp ? above[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                _ => Paeth(left, up, upLeft),
            };
            byte value = (byte)(row[i] - predictor);
            output[i] = value;
            cost += Math.Abs((int)(sbyte)value);
        }

        return cost;
    }

    /// <summary>The PNG Paeth predictor: whichever of left, up, up-left is closest to left + up - upLeft.</summary>
    internal static int Paeth(int left, int up, int upLeft)
    {
        int estimate = left + up - upLeft;
        int distanceLeft = Math.Abs(estimate - left);
        int distanceUp = Math.Abs(estimate - up);
        int distanceUpLeft = Math.Abs(estimate - upLeft);
        if (distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft)
        {
            return left;
        }

        return distanceUp <= distanceUpLeft ? up : upLeft;
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        uint crc = ~Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }
}
