using System.Text.RegularExpressions;
using VaeMl.Examples.Quickstart;

namespace Microsoft.ML.Vae.Tests.Readme;

[TestClass]
public sealed partial class ReadmeTests
{
    private static string ReadmePath => Path.Combine(AppContext.BaseDirectory, "README.md");

    private static string QuickstartSourcePath
    {
        get
        {
            // The test binaries sit at Microsoft.ML.Vae.Tests/bin/<configuration>/<framework>/.
            string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
            return Path.Combine(root, "examples", "Quickstart", "QuickstartSample.cs");
        }
    }

    [TestMethod]
    public void ReadmeQuickStartIsTheCompiledSample()
    {
        Match readme = CsharpBlock().Match(File.ReadAllText(ReadmePath));
        Assert.IsTrue(readme.Success, "README.md has no ```csharp block");
        Match sample = Region().Match(File.ReadAllText(QuickstartSourcePath));
        Assert.IsTrue(sample.Success, "QuickstartSample.cs has no #region quickstart");
        Assert.AreEqual(Normalize(sample.Groups["code"].Value), Normalize(readme.Groups["code"].Value));
    }

    /// <summary>Changes the working directory and console, so it runs alone.</summary>
    [TestMethod]
    [DoNotParallelize]
    public void QuickStartRunsAndFindsThePlantedAnomalies()
    {
        string directory = Path.Combine(Path.GetTempPath(), "vaeml-quickstart", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        TextWriter console = Console.Out;
        string previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = directory;
            Console.SetOut(TextWriter.Null);
            (VaeTransformer model, VaePrediction[] predictions) = QuickstartSample.Run(rowCount: 600, epochs: 15);

            // Every 100th row is planted; they should be the top-scored rows.
            int[] top = predictions.Select((p, row) => (p.Score, row)).OrderByDescending(x => x.Score).Take(6).Select(x => x.row).Order().ToArray();
            CollectionAssert.AreEqual(new[] { 0, 100, 200, 300, 400, 500 }, top);
            Assert.IsTrue(File.Exists(Path.Combine(directory, "quickstart.vae")));
            Assert.AreEqual(model.Threshold, VaeTransformer.Load(Path.Combine(directory, "quickstart.vae")).Threshold);
        }
        finally
        {
            Console.SetOut(console);
            Environment.CurrentDirectory = previous;
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Normalize(string code) =>
        string.Join("\n", code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"```csharp\r?\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();

    [GeneratedRegex(@"// #region quickstart\r?\n(?<code>.*?)// #endregion", RegexOptions.Singleline)]
    private static partial Regex Region();
}
