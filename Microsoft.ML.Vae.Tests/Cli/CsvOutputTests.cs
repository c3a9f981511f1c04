using System.IO.Compression;
using Microsoft.ML.Vae.Cli.Csv;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class CsvOutputTests
{
    private static string NewDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "vae-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    [TestMethod]
    public void WritesQuotedFieldsAndNumbers()
    {
        string path = Path.Combine(NewDirectory(), "o.csv");
        using (var writer = new CsvOutputWriter(path))
        {
            writer.Write("a,b");
            writer.Write("say \"x\"");
            writer.Write(0.1f);
            writer.Write(true);
            writer.EndRow();
            writer.Commit();
        }

        Assert.AreEqual("\"a,b\",\"say \"\"x\"\"\",0.1,true\n", File.ReadAllText(path));
    }

    [TestMethod]
    public void WithoutCommitNothingIsLeftBehind()
    {
        string directory = NewDirectory();
        string path = Path.Combine(directory, "o.csv");
        File.WriteAllText(path, "old");
        using (var writer = new CsvOutputWriter(path))
        {
            writer.Write("new");
            writer.EndRow();
        }

        Assert.AreEqual("old", File.ReadAllText(path));
        Assert.HasCount(1, Directory.GetFiles(directory));
    }

    [TestMethod]
    public void GzipOutputRoundTrips()
    {
        string path = Path.Combine(NewDirectory(), "o.csv.gz");
        using (var writer = new CsvOutputWriter(path))
        {
            writer.Write(1.5f);
            writer.EndRow();
            writer.Commit();
        }

        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        Assert.AreEqual("1.5\n", reader.ReadToEnd());
    }

    [TestMethod]
    public void MissingDirectoryIsBadInput()
    {
        var e = Assert.ThrowsExactly<Microsoft.ML.Vae.Cli.CliException>(() => AtomicFileWriter.Create(Path.Combine(NewDirectory(), "no", "x.csv")));
        Assert.AreEqual(2, e.ExitCode);
    }
}
