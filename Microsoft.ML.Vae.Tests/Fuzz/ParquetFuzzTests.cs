using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Parquet;
using Microsoft.ML.Vae.Tests.Cli;
using Parquet;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// Mutated Parquet files (bit flips, truncations, insertions, sizes set huge in the footer and the pages; pages
/// compressed with Snappy, Zstd and gzip) read as training reads them: they end in rows or an
/// <see cref="InputDataException"/> naming the file, within the time and memory limits.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ParquetFuzzTests
{
    private const int Seed = 1608;
    private const int Inputs = 2000;

    public TestContext TestContext { get; set; } = null!;

    private static string Read(string path, BadRowPolicy policy) =>
        ReaderOutcome.Of<InputDataException>(() => FeatureInput.Open(path, null, new ColumnSelection { Keys = ["id"], Label = "label" }, policy));

    [TestMethod]
    public void TheReaderEndsInRowsOrANamedDataError()
    {
        var cli = new CliRunner();
        var rows = ParquetTests.Rows(cli.WriteData(rows: 60));
        byte[][] valid =
        [
            File.ReadAllBytes(ParquetTests.WriteParquet(cli.PathOf("one.parquet"), rows, groupRows: 60)),
            File.ReadAllBytes(ParquetTests.WriteParquet(cli.PathOf("three.parquet"), rows, groupRows: 20, nullAt: i => i % 7 == 0)),
            File.ReadAllBytes(ParquetTests.WriteParquet(cli.PathOf("zstd.parquet"), rows, groupRows: 60, compression: CompressionMethod.Zstd)),
            File.ReadAllBytes(ParquetTests.WriteParquet(cli.PathOf("gzip.parquet"), rows, groupRows: 30, nullAt: i => i % 5 == 0,
                compression: CompressionMethod.Gzip)),
        ];
        var campaign = new FuzzCampaign("Parquet inputs read", outcome => outcome is "rows read" or nameof(InputDataException) or "bad input");
        var mutator = new Mutator(Seed);
        string path = cli.PathOf("fuzz.parquet");
        for (int i = 0; i < Inputs; i++)
        {
            (byte[] bytes, string what) = mutator.Mutate(valid[i % valid.Length]);
            File.WriteAllBytes(path, bytes);
            BadRowPolicy policy = i % 2 == 0 ? BadRowPolicy.Fail : BadRowPolicy.Skip;
            campaign.Run($"input {i}: {what} ({policy})", () => Read(path, policy));
        }

        foreach ((byte[] bytes, string what) in Mutator.OtherFormats())
        {
            File.WriteAllBytes(path, bytes);
            campaign.Run(what, () => Read(path, BadRowPolicy.Fail));
        }

        TestContext.WriteLine(campaign.ToString());
        Assert.IsGreaterThan(Inputs, campaign.Count);
    }

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
        (int frame, int length) = FirstZstdFrame(path, bytes, column: "b");
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
        StringAssert.Contains(error.Message, "declares more content than its header says it unpacks to.");
    }

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>Where the first Zstd frame of <paramref name="column"/>'s first data page starts, and its length to the chunk's end.</summary>
    private static (int Start, int Length) FirstZstdFrame(string path, byte[] bytes, string column)
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
        int start = page + bytes.AsSpan(page, end - page).IndexOf(ZstdMagic);
        Assert.IsGreaterThan(page, start + 1, "the page holds a Zstd frame");
        return (start, end - start);
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
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(frame[5..], declared);
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
