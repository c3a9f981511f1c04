using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Vae.Tests.Data;

/// <summary>Writes synthetic IDX files for the tests, with control over header fields and length.</summary>
internal static class IdxFile
{
    public static byte[] Images(int count, int rows, int columns, Func<int, byte>? pixel = null, int magic = IdxReader.ImagesMagic, int? declaredCount = null)
    {
        var bytes = new byte[16 + (count * rows * columns)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declaredCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (int i = 16; i < bytes.Length; i++)
        {
            bytes[i] = pixel?.Invoke(i - 16) ?? (byte)((i * 37) % 256);
        }

        return bytes;
    }

    public static byte[] Labels(byte[] labels, int magic = IdxReader.LabelsMagic, int? declaredCount = null)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declaredCount ?? labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}
