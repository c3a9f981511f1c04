using System.IO.Compression;
using System.Text;
using Microsoft.ML.Vae.Cli;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class CsvOutputTests
{
    [TestMethod]
    public void WritesQuotedFieldsAndNumbers()
    {
        using var stream = new MemoryStream();
        using (var writer = new CsvOutputWriter(stream, gzip: false))
        {
            writer.Write("a,b");
            writer.Write("say \"x\" ünï");
            int start = writer.Write(0.1f);
            int length = writer.Position - start;
            writer.Write(true);
            writer.WriteCopy(start, length);
            writer.EndRow();
            writer.Complete();
        }

        Assert.AreEqual("\"a,b\",\"say \"\"x\"\" ünï\",0.1,true,0.1\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [TestMethod]
    public void GzipOutputRoundTrips()
    {
        using var stream = new MemoryStream();
        using (var writer = new CsvOutputWriter(stream, gzip: true))
        {
            for (int i = 0; i < 10_000; i++)
            {
                writer.Write(1.5f);
                writer.EndRow();
            }

            writer.Complete();
        }

        using var reader = new StreamReader(new GZipStream(new MemoryStream(stream.ToArray()), CompressionMode.Decompress));
        string text = reader.ReadToEnd();
        Assert.AreEqual(40_000, text.Length);
        StringAssert.EndsWith(text, "1.5\n");
    }

    [TestMethod]
    public void OutputFileLeavesNothingBehindOnFailure()
    {
        string directory = Path.Combine(Path.GetTempPath(), "vae-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "o.csv");
        File.WriteAllText(path, "old");
        Assert.ThrowsExactly<InvalidOperationException>(() => OutputFile.Resolve(Context(), path, "--output").Write(stream =>
        {
            stream.Write("new"u8);
            throw new InvalidOperationException("failed half-way");
        }));
        Assert.AreEqual("old", File.ReadAllText(path));
        Assert.HasCount(1, Directory.GetFiles(directory));
    }

    [TestMethod]
    public void MissingDirectoryIsBadInput()
    {
        string path = Path.Combine(Path.GetTempPath(), "vae-cli-tests", Guid.NewGuid().ToString("N"), "x.csv");
        var e = Assert.ThrowsExactly<Microsoft.ML.Vae.Cli.CliException>(() => OutputFile.Resolve(Context(), path, "--output"));
        Assert.AreEqual(2, e.ExitCode);
    }

    private static CliContext Context() => new(StandardStreams.InMemory(TextWriter.Null, TextWriter.Null), interactive: false);
}
