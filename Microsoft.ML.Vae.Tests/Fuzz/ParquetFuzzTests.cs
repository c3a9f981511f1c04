using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Tests.Cli;
using Parquet;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// Mutated Parquet files (bit flips, truncations, insertions, sizes set huge in the footer and the pages; pages
/// compressed with Snappy, Zstd, gzip, Brotli and LZ4, or not at all) read as training reads them: they end in rows or
/// an <see cref="InputDataException"/> naming the file, within the time and memory limits.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ParquetFuzzTests
{
    private const int Seed = 1608;
    private const int Inputs = 2000;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>How reading the file at <paramref name="path"/> (the columns of <see cref="CliRunner.WriteData"/>) as training does ended.</summary>
    internal static string Read(string path, BadRowPolicy policy) =>
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
            File.ReadAllBytes(ParquetTests.WriteParquet(cli.PathOf("brotli.parquet"), rows, groupRows: 60, compression: CompressionMethod.Brotli)),
            File.ReadAllBytes(ParquetTests.WriteParquet(cli.PathOf("lz4.parquet"), rows, groupRows: 60, compression: CompressionMethod.Lz4Raw)),
            File.ReadAllBytes(ParquetTests.WriteParquet(cli.PathOf("plain.parquet"), rows, groupRows: 60, compression: CompressionMethod.None)),
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
}
