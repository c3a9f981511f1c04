using System.Buffers.Binary;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Parquet;
using Microsoft.ML.Vae.Tests.Cli;
using Parquet;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// Parquet files whose pages were rewritten by hand to unpack to more or less than their headers say, in each codec
/// that says its size (Snappy, Zstd, gzip) or is decoded to count (Brotli): they fail as damaged, naming the file, the
/// column and the page, within the fuzz campaigns' memory limit.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class DamagedParquetPageTests
{
    public TestContext TestContext { get; set; } = null!;

    private static string Read(string path, BadRowPolicy policy) => ParquetFuzzTests.Read(path, policy);

    /// <summary>
    /// Zstd frames declare their content size, which the decoder allocates before decoding: run-length blocks of four
    /// bytes that each unpack to 128 KB let a 22 KB page declare 720 MB (for which the decoder allocated 1.8 GB before
    /// the check). The page header's size bounds them.
    /// </summary>
    [TestMethod]
    public void ZstdFramesDeclaringMoreThanTheirPageFailWithinMemory()
    {
        var cli = new CliRunner();
        string path = ParquetTests.WriteParquet(cli.PathOf("zstd.parquet"), ParquetTests.Rows(cli.WriteData(rows: 8000)), groupRows: 8000,
            compression: CompressionMethod.Zstd);
        byte[] bytes = File.ReadAllBytes(path);
        (int frame, int length) = PageData(path, bytes, "b", ZstdMagic);
        long declared = WriteRunLengthFrame(bytes.AsSpan(frame, length), maxBlocks: 8192);
        Assert.IsGreaterThan(FuzzCampaign.MemoryLimit, declared, $"the frame declares more than the campaign's memory limit ({length} bytes declare {declared})");
        string bomb = cli.PathOf("bomb.parquet");
        File.WriteAllBytes(bomb, bytes);

        TestContext.WriteLine($"column b's page: a frame of {length} bytes declaring {declared}");
        var campaign = new FuzzCampaign("Zstd frames", outcome => outcome is "rows read" or nameof(InputDataException));
        campaign.Run("as written", () => Read(path, BadRowPolicy.Fail));
        campaign.Run($"a frame declaring {declared} bytes in {length}", () => Read(bomb, BadRowPolicy.Skip));
        CollectionAssert.AreEquivalent(new[] { "rows read", nameof(InputDataException) }, campaign.Outcomes.Keys.ToArray());

        var error = Assert.ThrowsExactly<ParquetDataException>(() => FeatureMatrixLoader.Load(FeatureInput.Open(bomb, null, new ColumnSelection(), BadRowPolicy.Skip)));
        StringAssert.Contains(error.Message, "bomb.parquet, row group 1 of 1, column 'b' (#3): the file is damaged: the compressed page at byte ");
        StringAssert.Contains(error.Message, "unpacks to more than the 64000 bytes its header says.");
    }

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>
    /// Pages whose compressed data unpacks to less than the page header says (Parquet.Net read the rest of such a page
    /// from whatever its buffer held, without an error) are damaged: Snappy's length, Zstd's declared content size and
    /// gzip's trailer are checked, and Brotli data is decoded to count.
    /// </summary>
    [TestMethod]
    public void CompressedPagesThatUnpackToLessThanTheirHeaderSaysAreDamaged()
    {
        var cli = new CliRunner();
        var rows = ParquetTests.Rows(cli.WriteData(rows: 8000));
        byte[] payload = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
        foreach (CompressionMethod codec in new[] { CompressionMethod.Snappy, CompressionMethod.Zstd, CompressionMethod.Gzip, CompressionMethod.Brotli })
        {
            string path = ParquetTests.WriteParquet(cli.PathOf($"{codec}.parquet"), rows, groupRows: 8000, compression: codec);
            Assert.AreEqual("rows read", Read(path, BadRowPolicy.Fail), $"{codec} as written");
            byte[] bytes = File.ReadAllBytes(path);
            ReadOnlySpan<byte> start = codec switch
            {
                CompressionMethod.Snappy => [0x80, 0xF4, 0x03], // 64,000, the length of column b's 8,000 doubles
                CompressionMethod.Zstd => ZstdMagic,
                CompressionMethod.Gzip => [0x1F, 0x8B, 0x08],
                _ => [], // Brotli data has no mark: found by decoding
            };
            (int data, int length) = codec == CompressionMethod.Brotli ? BrotliPageData(path, bytes, "b", 64_000) : PageData(path, bytes, "b", start);
            int unpacked = codec switch
            {
                CompressionMethod.Snappy => WriteShortSnappy(bytes.AsSpan(data, length)),
                CompressionMethod.Zstd => WriteShortZstd(bytes.AsSpan(data, length), payload),
                CompressionMethod.Gzip => WriteShortGzip(bytes.AsSpan(data, length), payload),
                _ => WriteShortBrotli(bytes.AsSpan(data, length)),
            };
            string damaged = cli.PathOf($"short-{codec}.parquet");
            File.WriteAllBytes(damaged, bytes);
            var error = Assert.ThrowsExactly<ParquetDataException>(() => FeatureMatrixLoader.Load(FeatureInput.Open(damaged, null, new ColumnSelection(), BadRowPolicy.Skip)),
                codec.ToString());
            StringAssert.Contains(error.Message, $"column 'b' (#3): the file is damaged: the compressed page at byte ", codec.ToString());
            StringAssert.Contains(error.Message, $" unpacks to {unpacked} bytes, not the 64000 its header says.", codec.ToString());
        }
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }

    /// <summary>Snappy data of one-byte literals (two bytes each) filling <paramref name="data"/>: it unpacks to about half its length.</summary>
    private static int WriteShortSnappy(Span<byte> data)
    {
        int literals = (data.Length - 3) / 2; // the length takes 3 bytes for these sizes
        bool parity = (data.Length - 3) % 2 == 1; // one literal of two bytes (three with its tag) evens it out
        if (parity)
        {
            literals--;
        }

        int unpacked = literals + (parity ? 2 : 0);
        data[0] = (byte)(0x80 | (unpacked & 0x7F));
        data[1] = (byte)(0x80 | ((unpacked >> 7) & 0x7F));
        data[2] = (byte)(unpacked >> 14);
        data[3..].Clear(); // tag 0: a literal of one byte, then the byte
        if (parity)
        {
            data[^3] = 1 << 2; // a literal of two bytes
        }

        return unpacked;
    }

    /// <summary>One Zstd frame that declares and holds <paramref name="payload"/>, padded to the page with a skippable frame.</summary>
    private static int WriteShortZstd(Span<byte> data, byte[] payload)
    {
        data.Clear();
        ZstdMagic.CopyTo(data);
        data[4] = 0xA0; // single segment, 4-byte content size
        BinaryPrimitives.WriteInt32LittleEndian(data[5..], payload.Length);
        WriteBlockHeader(data[9..], (payload.Length << 3) | 1); // the last block, raw
        payload.CopyTo(data[12..]);
        Span<byte> skippable = data[(12 + payload.Length)..];
        BinaryPrimitives.WriteUInt32LittleEndian(skippable, 0x184D2A50);
        BinaryPrimitives.WriteInt32LittleEndian(skippable[4..], skippable.Length - 8);
        return payload.Length;
    }

    /// <summary>One gzip member of <paramref name="payload"/>, padded to the page with a comment in its header.</summary>
    private static int WriteShortGzip(Span<byte> data, byte[] payload)
    {
        WriteMember(data, Gzip(payload));
        return payload.Length;
    }

    /// <summary>Writes <paramref name="member"/> to fill <paramref name="data"/>, with a comment in its header as padding.</summary>
    private static void WriteMember(Span<byte> data, byte[] member)
    {
        data.Fill((byte)'a');
        member.AsSpan(0, 10).CopyTo(data);
        data[3] |= 0x10; // FCOMMENT: a zero-terminated comment follows the 10-byte header
        int rest = member.Length - 10;
        data[^(rest + 1)] = 0;
        member.AsSpan(10).CopyTo(data[^rest..]);
    }

    /// <summary>Brotli data of random bytes, which do not compress, exactly as long as <paramref name="data"/>; returns their count.</summary>
    private static int WriteShortBrotli(Span<byte> data)
    {
        byte[] random = new byte[data.Length];
        new Random(3).NextBytes(random);
        for (int count = data.Length; count > data.Length - 64; count--)
        {
            using var compressed = new MemoryStream();
            using (var brotli = new System.IO.Compression.BrotliStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                brotli.Write(random, 0, count);
            }

            if (compressed.Length == data.Length)
            {
                compressed.ToArray().CopyTo(data);
                return count;
            }
        }

        throw new AssertFailedException("no count of random bytes makes Brotli data as long as the page's");
    }

    /// <summary>
    /// Where the Brotli data of <paramref name="column"/>'s first data page starts, and its length to the chunk's end:
    /// the first offset after the page's start from which it decodes to <paramref name="unpacked"/> bytes.
    /// </summary>
    private static (int Start, int Length) BrotliPageData(string path, byte[] bytes, string column, int unpacked)
    {
        (int page, int length) = PageData(path, bytes, column, []);
        for (int data = page; data < page + 256; data++)
        {
            try
            {
                using var decoded = new MemoryStream();
                using (var brotli = new System.IO.Compression.BrotliStream(new MemoryStream(bytes, data, page + length - data), System.IO.Compression.CompressionMode.Decompress))
                {
                    brotli.CopyTo(decoded);
                }

                if (decoded.Length == unpacked)
                {
                    return (data, page + length - data);
                }
            }
            catch (InvalidOperationException)
            {
                // not the start of the data
            }
        }

        throw new AssertFailedException("the page's Brotli data is not found");
    }

    /// <summary>Where the data of <paramref name="column"/>'s first data page starts (its first bytes are <paramref name="start"/>), and its length to the chunk's end.</summary>
    private static (int Start, int Length) PageData(string path, byte[] bytes, string column, ReadOnlySpan<byte> start)
    {
        using var file = File.OpenRead(path);
        ParquetReader reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        global::Parquet.Meta.ColumnMetaData chunk;
        try
        {
            chunk = reader.OpenRowGroupReader(0).GetMetadata(reader.Schema.DataFields.Single(f => f.Name == column))!.MetaData!;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        int page = (int)chunk.DataPageOffset, end = page + (int)chunk.TotalCompressedSize;
        int data = page + bytes.AsSpan(page, end - page).IndexOf(start);
        Assert.IsGreaterThan(page, data + 1, "the page's data is found");
        return (data, end - data);
    }

    /// <summary>
    /// Overwrites <paramref name="frame"/> with one Zstd frame of the same length: run-length blocks of 128 KB (at most
    /// <paramref name="maxBlocks"/>) and a raw block for the rest, with its true content size declared; returns that size.
    /// </summary>
    private static long WriteRunLengthFrame(Span<byte> frame, int maxBlocks)
    {
        const int BlockContent = 128 * 1024;
        int blocks = Math.Min((frame.Length - 16) / 4, maxBlocks);
        int raw = frame.Length - 16 - (4 * blocks);
        long declared = ((long)blocks * BlockContent) + raw;
        frame.Clear();
        ZstdMagic.CopyTo(frame);
        frame[4] = 0xE0; // single segment, 8-byte content size
        BinaryPrimitives.WriteInt64LittleEndian(frame[5..], declared);
        int at = 13;
        for (int i = 0; i < blocks; i++, at += 4)
        {
            WriteBlockHeader(frame[at..], (BlockContent << 3) | (1 << 1)); // run-length block; its byte stays 0
        }

        WriteBlockHeader(frame[at..], (raw << 3) | 1); // the last block: raw, its bytes 0
        return declared;
    }

    private static void WriteBlockHeader(Span<byte> at, int header)
    {
        at[0] = (byte)header;
        at[1] = (byte)(header >> 8);
        at[2] = (byte)(header >> 16);
    }
}
