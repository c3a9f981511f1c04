using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>Runs <c>vae</c> in-process in a fresh temporary directory, and writes small synthetic CSV files there.</summary>
internal sealed class CliRunner
{
    public CliRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), "vae-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int code = VaeCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with <paramref name="input"/> as standard input; <c>Data</c> is what was written to standard output as bytes.</summary>
    public (int ExitCode, string Out, string Error, byte[] Data) RunPiped(byte[] input, params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using var data = new MemoryStream();
        int code = VaeCli.Run(args, StandardStreams.InMemory(stdout, stderr, new MemoryStream(input), data), interactive: false);
        return (code, stdout.ToString(), stderr.ToString(), data.ToArray());
    }

    public string WriteFile(string name, string text)
    {
        string path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// id, three correlated features (b = 2a, c noise) and a label; every 25th row has an outlying c and label 1.
    /// </summary>
    public string WriteData(string name = "data.csv", int rows = 200, char delimiter = ',')
    {
        var random = new Random(7);
        var text = new StringBuilder($"id{delimiter}a{delimiter}b{delimiter}c{delimiter}label\n");
        for (int i = 0; i < rows; i++)
        {
            bool anomaly = i % 25 == 0;
            double a = random.NextDouble();
            double c = random.NextDouble() * 0.1 + (anomaly ? 5 : 0);
            text.Append(CultureInfo.InvariantCulture, $"row{i}{delimiter}{a:F4}{delimiter}{2 * a + random.NextDouble() * 0.01:F4}{delimiter}{c:F4}{delimiter}{(anomaly ? 1 : 0)}\n");
        }

        return WriteFile(name, text.ToString());
    }

    /// <summary>Trains a tiny model on <paramref name="data"/> (fast: 2 epochs, one hidden layer of 8); <paramref name="extra"/> holds flag/value pairs that override.</summary>
    public string Train(string data, string model = "model.vae", params string[] extra)
    {
        string path = PathOf(model);
        var settings = new Dictionary<string, string> { ["--hidden-layers"] = "8", ["--epochs"] = "2", ["--batch-size"] = "32", ["--seed"] = "1", ["--threads"] = "1" };
        for (int i = 0; i + 1 < extra.Length; i += 2)
        {
            settings[extra[i]] = extra[i + 1];
        }

        (int code, _, string error) = Run(["train", "--input", data, "--model", path, "--exclude", "id,label", .. settings.SelectMany(s => new[] { s.Key, s.Value })]);
        Assert.AreEqual(0, code, error);
        return path;
    }
}
