using Microsoft.ML.Vae.Cli.Parquet;
using Microsoft.ML.Vae.Tests.Fuzz;
using Parquet.Meta;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>
/// <see cref="ParquetIntegrity.CheckPages"/> on column chunks built byte by byte: a page of gzip data must unpack to its
/// header's size, whether it holds one member, whose trailer says the size, or several, which are decoded to count;
/// Brotli data, which does not say, is decoded to count.
/// </summary>
[TestClass]
public sealed class ParquetIntegrityTests
{
    private static readonly byte[] Values = [.. Enumerable.Range(0, 4000).Select(i => (byte)(i % 251))];

    [TestMethod]
    public void AGzipPageOfOneOrSeveralMembersUnpacksToItsSize()
    {
        byte[] one = DamagedParquetPageTests.Gzip(Values);
        byte[] two = [.. DamagedParquetPageTests.Gzip(Values[..1000]), .. DamagedParquetPageTests.Gzip(Values[1000..])];
        Assert.IsNull(Check(one, Values.Length));
        Assert.IsNull(Check(two, Values.Length), "several members, counted by decoding");
    }

    [TestMethod]
    public void AGzipPageThatUnpacksToAnotherSizeIsDamaged()
    {
        byte[] two = [.. DamagedParquetPageTests.Gzip(Values[..1000]), .. DamagedParquetPageTests.Gzip(Values[1000..])];
        Assert.AreEqual("the compressed page at byte 4 unpacks to 4000 bytes, not the 4001 its header says", Check(two, Values.Length + 1));
        Assert.AreEqual("the compressed page at byte 4 unpacks to more than the 3999 bytes its header says", Check(two, Values.Length - 1));
        Assert.AreEqual("the compressed page at byte 4 unpacks to 4000 bytes, not the 4001 its header says", Check(DamagedParquetPageTests.Gzip(Values), Values.Length + 1),
            "one member: its trailer says");
        byte[] garbage = [.. Enumerable.Repeat((byte)7, 40)];
        Assert.IsNull(Check(garbage, 100), "not gzip data: left to the decoder, which refuses it");
    }

    [TestMethod]
    public void BrotliPagesAreDecodedToCount()
    {
        using var compressed = new MemoryStream();
        using (var brotli = new System.IO.Compression.BrotliStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            brotli.Write(Values);
        }

        byte[] data = compressed.ToArray();
        Assert.IsNull(Check(data, Values.Length, CompressionCodec.BROTLI));
        Assert.AreEqual("the compressed page at byte 4 unpacks to 4000 bytes, not the 4001 its header says", Check(data, Values.Length + 1, CompressionCodec.BROTLI));
        Assert.AreEqual("the compressed page at byte 4 unpacks to more than the 100 bytes its header says", Check(data, 100, CompressionCodec.BROTLI));
        Assert.IsNull(Check([.. Enumerable.Repeat((byte)0xFF, 40)], 100, CompressionCodec.BROTLI), "not Brotli data: left to the decoder, which refuses it");
    }

    /// <summary>Checks a chunk of one data page (version 1) whose header says <paramref name="unpacked"/> and whose data is <paramref name="data"/>.</summary>
    private static string? Check(byte[] data, int unpacked, CompressionCodec codec = CompressionCodec.GZIP)
    {
        // Thrift compact: field 1 (type, i32) = 0, field 2 (uncompressed size) and field 3 (compressed size), then stop.
        byte[] header = [0x15, 0x00, 0x15, .. Varint(2L * unpacked), 0x15, .. Varint(2L * data.Length), 0x00];
        byte[] file = [.. "PAR1"u8, .. header, .. data, .. "PAR1"u8];
        var chunk = new ColumnMetaData { Codec = codec, DataPageOffset = 4, TotalCompressedSize = header.Length + data.Length };
        using var stream = new MemoryStream(file);
        string? problem = ParquetIntegrity.CheckPages(stream, chunk, maxPageBytes: 1 << 20);
        return problem?.Replace($"byte {4 + header.Length}", "byte 4", StringComparison.Ordinal);
    }

    private static byte[] Varint(long value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(value | 0x80));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
