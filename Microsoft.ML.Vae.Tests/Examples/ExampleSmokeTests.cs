using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.Vae.Reports;
using Microsoft.ML.Vae.Tests.Data;
using Microsoft.ML.Vae.Tests.Reports;
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
        var (output, console) = RunMnist(dir, side: 14, trainCount: 150, testCount: 40, "--epochs", "2", "--limit", "120", "--seed", "7");
        string[] expected =
            ["latent-map.png", "manifold.png", "reconstructions.png", "samples.png", "denoising.png", "loss.png", "kl.png", "scores.png", "model.vae", "model.onnx", "report.html"];
        foreach (string name in expected)
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, name)), $"{name} missing; output:\n{console}");
        }

        foreach (string chart in new[] { "latent-map.png", "loss.png", "kl.png", "scores.png" })
        {
            var picture = DecodedPicture.Load(Path.Combine(output, chart));
            Assert.AreEqual((Chart.Width, Chart.Height), (picture.Width, picture.Height), chart);
        }

        // 20 tiles of 40 pixels, plus the row labels, the z2 name and the margins.
        var manifold = DecodedPicture.Load(Path.Combine(output, "manifold.png"));
        Assert.IsGreaterThan(20 * 40, manifold.Width);
        Assert.IsGreaterThan(20 * 40, manifold.Height);
        // 16 digits per row, 2 pixels per value, plus the "reconstruction" label.
        var reconstructions = DecodedPicture.Load(Path.Combine(output, "reconstructions.png"));
        Assert.IsGreaterThan(16 * 28, reconstructions.Width);
        Assert.IsGreaterThan(6 * 28, reconstructions.Height, "three pairs of rows of 16 out of 40 test images");
        Assert.IsGreaterThan(10 * 28, DecodedPicture.Load(Path.Combine(output, "samples.png")).Width);
        Assert.IsGreaterThan(3 * 28, DecodedPicture.Load(Path.Combine(output, "denoising.png")).Height);

        Assert.AreEqual(2, VaeTransformer.Load(Path.Combine(output, "model.vae")).LatentDimension);
        string log = console.ToString();
        StringAssert.Contains(log, "120 training and 40 test images");
        Assert.MatchesRegex(@"test -ELBO, z sampled \(nats\)\s*│\s*\d+\.\d\d", log);

        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        var images = Regex.Matches(html, "<img alt=\"([^\"]+)\"");
        Assert.HasCount(8, images, "every picture, each with alt text");
        Assert.IsLessThan(html.IndexOf("<img", StringComparison.Ordinal), html.IndexOf("Key numbers", StringComparison.Ordinal), "key numbers first");
        StringAssert.Contains(html, $"by Microsoft.ML.Vae {HtmlReport.LibraryVersion}");
        Assert.MatchesRegex(@"<td>seed</td><td>7</td>", html);
        StringAssert.Contains(html, "2-D");
    }

    [TestMethod]
    [DataRow(1, "1-D latent means, one band per digit", "decoded along the single latent axis")]
    [DataRow(3, "3-D latent means projected on their first two principal components", "the other 1 held at 0")]
    public void Mnist_DrawsAndCaptionsItsOwnLatentSpace(int latent, string latentMap, string manifold)
    {
        using var dir = new TempDirectory();
        var (output, _) = RunMnist(dir, side: 8, trainCount: 100, testCount: 30, "--epochs", "1", "--latent", latent.ToString(CultureInfo.InvariantCulture));
        DecodedPicture.Load(Path.Combine(output, "latent-map.png"));
        DecodedPicture.Load(Path.Combine(output, "manifold.png"));

        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        StringAssert.Contains(html, latentMap);
        StringAssert.Contains(html, manifold);
        Assert.DoesNotContain("2-D", html, "captions describe the run's own latent space");
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
}
