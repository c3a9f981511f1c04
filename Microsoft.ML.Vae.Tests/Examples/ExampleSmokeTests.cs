using Microsoft.ML.Vae.Reports;
using Microsoft.ML.Vae.Tests.Data;
using VaeMl.Examples;
using VaeMl.Examples.AnomalyDetection;
using VaeMl.Examples.Clustering;
using VaeMl.Examples.Mnist;

namespace Microsoft.ML.Vae.Tests.Examples;

/// <summary>Runs each example in-process on synthetic IDX files, as a user would with <c>--data DIR</c>.</summary>
[TestClass]
public sealed class ExampleSmokeTests
{
    [TestMethod]
    public void Mnist_WritesEveryPictureTheReportAndTheModel()
    {
        using var dir = new TempDirectory();
        var (output, console) = RunMnist(dir, side: 14, trainCount: 150, testCount: 40, "--epochs", "2", "--limit", "120");
        string[] expected =
            ["latent-map.svg", "manifold.png", "reconstructions.png", "samples.png", "denoising.png", "loss.svg", "kl.svg", "scores.svg", "model.vae", "model.onnx", "report.html"];
        foreach (string name in expected)
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, name)), $"{name} missing; output:\n{console}");
        }

        Assert.AreEqual(20 * 14, PngSize(Path.Combine(output, "manifold.png")).Width);
        Assert.AreEqual(2, VaeTransformer.Load(Path.Combine(output, "model.vae")).LatentDimension);
        string log = console.ToString();
        StringAssert.Contains(log, "120 training and 40 test images");
        Assert.MatchesRegex(@"test -ELBO, z sampled \(nats\)\s*│\s*\d+\.\d\d", log);
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.html")), "data:image/png;base64,");
    }

    [TestMethod]
    public void Mnist_DrawsAWiderLatentSpaceOnItsPrincipalComponents()
    {
        using var dir = new TempDirectory();
        var (output, _) = RunMnist(dir, side: 8, trainCount: 100, testCount: 30, "--epochs", "1", "--latent", "3");
        string map = File.ReadAllText(Path.Combine(output, "latent-map.svg"));
        StringAssert.Contains(map, "first principal component of latent means");
        Assert.AreEqual(30, map.Split("<circle").Length - 1, "one point per test image");
    }

    [TestMethod]
    public void Mnist_RejectsUnknownFlagWithUsage()
    {
        var console = new StringWriter();

        int exit = MnistExample.RunCommandLine(["--epoch", "3"], ExampleConsole.Plain(console));

        Assert.AreEqual(2, exit);
        StringAssert.Contains(console.ToString(), "Unknown flag '--epoch'");
    }

    [TestMethod]
    public void Mnist_ReportsMissingDataPlainly()
    {
        using var dir = new TempDirectory();
        var console = new StringWriter();

        int exit = MnistExample.RunCommandLine(["--data", dir.Path], ExampleConsole.Plain(console));

        Assert.AreEqual(1, exit);
        StringAssert.Contains(console.ToString(), "does not hold the four MNIST files");
    }

    [TestMethod]
    public void AnomalyDetection_SeparatesTheSyntheticClasses()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.Write(dir.Path, side: 8, trainCount: 400, testCount: 100);
        var console = new StringWriter();

        var results = AnomalyDetectionExample.Run(
            new AnomalySettings { Data = dir.Path, Digits = [3, 7], Epochs = 150, Hidden = [32], Latent = 2, Rank = 4 },
            ExampleConsole.Plain(console));

        Assert.HasCount(2, results);
        Assert.AreEqual(40, results[0].TrainingRows);
        foreach (var r in results)
        {
            Assert.IsGreaterThan(0.9, r.Vae.RocAuc, $"digit {r.Digit}, VAE:\n{console}");
            Assert.IsGreaterThan(0.9, r.Pca.RocAuc, $"digit {r.Digit}, PCA:\n{console}");
            Assert.IsTrue(r.Vae.DetectionRate is >= 0 and <= 1 && r.Pca.DetectionRate is >= 0 and <= 1, $"{r}");
        }

        string log = console.ToString();
        StringAssert.Contains(log, "RandomizedPca (rank 4, uncentred)");
        StringAssert.Contains(log, "digit 7: RandomizedPca fitted and evaluated");
        StringAssert.Contains(log, "VAE ROC-AUC");
        StringAssert.Contains(log, "PCA ROC-AUC");
        StringAssert.Contains(log, "mean");
    }

    [TestMethod]
    public void Clustering_ComparesVaeAndPca()
    {
        using var dir = new TempDirectory();
        SyntheticMnist.Write(dir.Path, side: 8, trainCount: 300, testCount: 100);
        var console = new StringWriter();

        var results = ClusteringExample.Run(new ClusteringSettings { Data = dir.Path, Epochs = 2, Latent = 4 }, ExampleConsole.Plain(console));

        Assert.HasCount(2, results);
        Assert.AreEqual("PCA of pixels", results[1].Method);
        Assert.AreEqual(4, results[1].Dimensions);
        // Ten well-separated bars: PCA + k-means must find most of the structure.
        Assert.IsGreaterThan(0.7, results[1].NormalizedMutualInformation, console.ToString());
        foreach (var r in results)
        {
            Assert.IsTrue(r.NormalizedMutualInformation is >= 0 and <= 1, $"{r}");
            Assert.IsTrue(double.IsFinite(r.DaviesBouldinIndex) && r.DaviesBouldinIndex >= 0, $"{r}");
        }

        StringAssert.Contains(console.ToString(), "NMI");
        StringAssert.Contains(console.ToString(), "VAE latent means: fitting the pipeline");
    }

    /// <summary>Runs the Mnist example on synthetic files in <paramref name="dir"/>; fails unless it exits with 0.</summary>
    private static (string Output, StringWriter Console) RunMnist(TempDirectory dir, int side, int trainCount, int testCount, params string[] flags)
    {
        SyntheticMnist.Write(dir.Path, side, trainCount, testCount);
        string output = Path.Combine(dir.Path, "out");
        var console = new StringWriter();
        int exit = MnistExample.RunCommandLine(["--data", dir.Path, "--output", output, .. flags], ExampleConsole.Plain(console));
        Assert.AreEqual(0, exit, console.ToString());
        return (output, console);
    }

    private static (int Width, int Height) PngSize(string path)
    {
        var (image, _, _) = Reports.PngDecoder.Decode(File.ReadAllBytes(path));
        return (image.Width, image.Height);
    }
}
