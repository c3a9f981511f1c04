using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.ML.Vae.Reports;
using Microsoft.ML.Vae.Reports.Images;

namespace Microsoft.ML.Vae.Tests.Reports;

/// <summary>
/// A minimal PNG reader for 8-bit grayscale/RGB, non-interlaced images, independent of <see cref="PngWriter"/>:
/// checks the signature and every chunk's CRC, inflates IDAT and undoes the five scanline filters.
/// </summary>
internal static class PngDecoder
{
    public static (Raster Image, List<string> Chunks, byte[] Filters) Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        CollectionAssert.AreEqual(signature, png[..8], "PNG signature");

        var chunks = new List<string>();
        using var idat = new MemoryStream();
        int width = 0, height = 0, channels = 0;
        int offset = 8;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.AreEqual(ReferenceCrc(png.AsSpan(offset + 4, length + 4)), crc, $"CRC of chunk {type}");
            chunks.Add(type);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.AreEqual(8, data[8], "bit depth");
                    channels = data[9] switch { 0 => 1, 2 => 3, _ => throw new AssertFailedException($"colour type {data[9]}") };
                    Assert.AreEqual(0, data[12], "interlace");
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            offset += 12 + length;
        }

        Assert.AreEqual(png.Length, offset, "chunks end exactly at the end of the file");
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] bytes = raw.ToArray();

        int stride = width * channels;
        Assert.HasCount(height * (stride + 1), bytes, "inflated scanline bytes");
        var image = new Raster(width, height, channels);
        var pixels = image.Pixels;
        var filters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            filters[y] = bytes[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int value = bytes[(y * (stride + 1)) + 1 + i];
                int left = i >= channels ? pixels[(y * stride) + i - channels] : 0;
                int up = y > 0 ? pixels[((y - 1) * stride) + i] : 0;
                int upLeft = y > 0 && i >= channels ? pixels[((y - 1) * stride) + i - channels] : 0;
                value += filters[y] switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => ReferencePaeth(left, up, upLeft),
                    _ => throw new AssertFailedException($"filter type {filters[y]} on row {y}"),
                };
                pixels[(y * stride) + i] = (byte)value;
            }
        }

        return (image, chunks, filters);
    }

    // Bitwise CRC-32 straight from the PNG specification's definition, not the writer's table.
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static int ReferencePaeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static uint Crc(ReadOnlySpan<byte> data) => Crc32.Compute(data);
}
