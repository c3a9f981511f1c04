using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>
/// Outputs replace only regular files, write straight into pipes and devices, follow links without replacing them,
/// and never overwrite an input; '-' is standard input or output, so the tool works in a shell pipeline.
/// </summary>
[TestClass]
public sealed class OutputSafetyTests
{
    [TestMethod]
    public void DashReadsStandardInputEvenGzippedAndWritesStandardOutputWithMessagesOnStderr()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        byte[] csv = File.ReadAllBytes(data);
        using var zipped = new MemoryStream();
        using (var gzip = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(csv);
        }

        (int code, string output, string error, byte[] scores) = cli.RunPiped(zipped.ToArray(), "score", "-m", model, "-i", "-", "-o", "-", "--keep", "id");
        Assert.AreEqual(0, code, error);
        Assert.AreEqual("", output, "standard output carries only the scores");
        StringAssert.Contains(error, "Scored 200 rows");
        string[] lines = Encoding.UTF8.GetString(scores).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(201, lines);

        string file = cli.PathOf("scores.csv");
        Assert.AreEqual(0, cli.Run("score", "-m", model, "-i", data, "-o", file, "--keep", "id").ExitCode);
        CollectionAssert.AreEqual(File.ReadAllBytes(file), scores, "the same bytes as through a file");
    }

    [TestMethod]
    public void TrainReadsStandardInputAndWritesTheModelToStandardOutput()
    {
        var cli = new CliRunner();
        byte[] csv = File.ReadAllBytes(cli.WriteData());
        (int code, string output, string error, byte[] model) = cli.RunPiped(csv, "train", "-i", "-", "-m", "-", "--epochs", "1", "--hidden-layers", "4");
        Assert.AreEqual(0, code, error);
        Assert.AreEqual("", output);
        StringAssert.Contains(error, "Training summary", "the summary goes to stderr when stdout holds the model");
        Assert.AreEqual(3, VaeTransformer.Load(new MemoryStream(model)).FeatureCount);
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux)]
    public void AnOutputThatIsAnInputIsRefusedAndTheInputKept()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        byte[] dataBytes = File.ReadAllBytes(data), modelBytes = File.ReadAllBytes(model);
        string link = cli.PathOf("link.csv");
        File.CreateSymbolicLink(link, data);
        string hardLink = cli.PathOf("hard.csv");
        Assert.AreEqual(0, Link(data, hardLink), "hard link");

        foreach (string[] args in new[]
        {
            new[] { "score", "-m", model, "-i", data, "-o", data },
            ["score", "-m", model, "-i", data, "-o", link],
            ["score", "-m", model, "-i", link, "-o", hardLink],
            ["score", "-m", model, "-i", data, "-o", model],
            ["train", "-i", data, "-m", hardLink, "--epochs", "1"],
            ["report", "-m", model, "-i", data, "-o", data],
            ["export-onnx", "-m", model, "-o", model],
        })
        {
            (int code, _, string error) = cli.Run(args);
            Assert.AreEqual(2, code, string.Join(' ', args));
            StringAssert.Contains(error, "is the same file as", string.Join(' ', args));
            StringAssert.Contains(error, "the input was left as it was");
            CollectionAssert.AreEqual(dataBytes, File.ReadAllBytes(data), string.Join(' ', args));
            CollectionAssert.AreEqual(modelBytes, File.ReadAllBytes(model), string.Join(' ', args));
        }

        Assert.IsNotNull(new FileInfo(link).LinkTarget);
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
    public void ASymlinkIsFollowedAndKeptAndAReplacedFileKeepsItsPermissions()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix permissions (and the OSCondition skips it anyway)
        }

        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        string target = cli.WriteFile("target.csv", "old");
        string link = cli.PathOf("out.csv");
        File.CreateSymbolicLink(link, target);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        (int code, _, string error) = cli.Run("score", "-m", model, "-i", data, "-o", link);
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(target, new FileInfo(link).LinkTarget, "the link is still a link to the same file");
        StringAssert.StartsWith(File.ReadAllText(target), "Score,");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(target));
    }

    [TestMethod]
    public void ADirectoryIsNotAnOutput()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        (int code, _, string error) = cli.Run("score", "-m", model, "-i", data, "-o", cli.Directory);
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "it is a directory");
        Assert.IsTrue(Directory.Exists(cli.Directory));
    }

    /// <summary>
    /// A link to a named pipe (the shape of /dev/stdout, a link to the open pipe /proc/self/fd/1) is written straight
    /// into: the pipe's reader gets the scores, and the link and the pipe stay what they were.
    /// </summary>
    [TestMethod]
    [OSCondition(OperatingSystems.Linux)]
    public void ALinkToAPipeIsWrittenStraightIntoAndStaysALink()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        string fifo = cli.PathOf("pipe");
        Assert.AreEqual(0, MakeFifo(fifo, Convert.ToUInt32("600", 8)), "mkfifo");
        string link = cli.PathOf("stdout-like");
        File.CreateSymbolicLink(link, fifo);

        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));
        (int code, _, string error) = cli.Run("score", "-m", model, "-i", data, "-o", link);
        if (!reader.Wait(TimeSpan.FromSeconds(30)))
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                // Nobody wrote to the pipe: open it once so the reader returns and the test can fail cleanly.
            }
        }

        Assert.AreEqual(0, code, error);
        Assert.AreEqual(fifo, new FileInfo(link).LinkTarget, "the link was not replaced");
        Assert.AreEqual(201, reader.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.AreEqual(FileKind.Fifo, FileIdentity.Of(fifo)?.Kind, "still a pipe");
    }

    /// <summary>The literal pipelines of the finding, in a real process: `-o /dev/stdout` into a pipe, and `-i - -o -` with redirects.</summary>
    [TestMethod]
    [OSCondition(OperatingSystems.Linux)]
    public void TheToolRunsInAShellPipeline()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        string vae = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "vae.dll")}'";
        string piped = cli.PathOf("piped.csv"), redirected = cli.PathOf("redirected.csv");

        (int code, string error) = Shell($"{vae} score -m '{model}' -i '{data}' -o /dev/stdout | cat > '{piped}'");
        Assert.AreEqual(0, code, error);
        (code, error) = Shell($"{vae} score -m '{model}' -i - -o - < '{data}' > '{redirected}'");
        Assert.AreEqual(0, code, error);

        Assert.AreEqual(201, File.ReadAllLines(piped).Length);
        CollectionAssert.AreEqual(File.ReadAllBytes(piped), File.ReadAllBytes(redirected));
        Assert.IsNotNull(new FileInfo("/dev/stdout").LinkTarget, "/dev/stdout is still a link");
    }

    private static (int Code, string Error) Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(120_000), command);
        return (process.ExitCode, error.Result);
    }

    [DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "link")]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
}
