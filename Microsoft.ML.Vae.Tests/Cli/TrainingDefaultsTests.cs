using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli.Commands;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>`vae train` defaults that work on tabular data, and the posterior-collapse warning when the settings do not.</summary>
[TestClass]
public sealed class TrainingDefaultsTests
{
    private static string WriteSensors(CliRunner cli)
    {
        var text = new StringBuilder("id,temperature,pressure,vibration,current,voltage,speed,flow,level,label\n");
        float[][] rows = SyntheticData.Tabular(2000, seed: 4);
        for (int i = 0; i < rows.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{string.Join(',', rows[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))},{(i % 100 == 0 ? 1 : 0)}\n");
        }

        return cli.WriteFile("sensors.csv", text.ToString());
    }

    /// <summary>
    /// The CLI README's old example (binary cross-entropy with min-max scaling on continuous sensor columns) trains a
    /// collapsed model: the tool now warns, naming the fix, and inspect and report show it.
    /// </summary>
    [TestMethod]
    public void TheOldReadmeExampleIsFlaggedAsCollapsedWithTheFix()
    {
        var cli = new CliRunner();
        string data = WriteSensors(cli);
        string model = cli.PathOf("collapsed.vae");
        (int code, string output, string error) = cli.Run("train", "--input", data, "--model", model, "--exclude", "id,label",
            "--hidden-layers", "32,16", "--loss", "bce", "--scaling", "minmax", "--epochs", "15", "--seed", "1", "--threads", "1", "--quiet");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "warning: posterior collapse");
        StringAssert.Contains(error, "--loss squared-error --scaling standard");
        StringAssert.Contains(error, "--kl-warmup-epochs");
        StringAssert.Contains(error, "--beta");
        StringAssert.Contains(output, "Posterior collapse");
        Assert.IsTrue(VaeTransformer.Load(model).TrainingSummary.PosteriorCollapse);

        (code, output, _) = cli.Run("inspect", "--model", model);
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "yes: the latent means carry almost no information");

        string report = cli.PathOf("report.html");
        Assert.AreEqual(0, cli.Run("report", "--model", model, "--output", report).ExitCode);
        StringAssert.Contains(File.ReadAllText(report), "posterior collapse");
    }

    /// <summary>Without loss flags the same data train with the anomaly preset (Gaussian decoder, min-max scaling, 64-32, trimmed loss): no collapse.</summary>
    [TestMethod]
    public void TheDefaultsTrainAUsefulModelOnTabularData()
    {
        var cli = new CliRunner();
        string data = WriteSensors(cli);
        string model = cli.PathOf("default.vae");
        (int code, _, string error) = cli.Run("train", "--input", data, "--model", model, "--epochs", "15", "--seed", "1", "--threads", "1", "--quiet");
        Assert.AreEqual(0, code, error);
        Assert.DoesNotContain("warning", error);
        StringAssert.Contains(error, "--loss gaussian --scaling minmax --hidden-layers 64,32");

        VaeTransformer vae = VaeTransformer.Load(model);
        VaeOptions preset = VaeOptions.ForAnomalyDetection();
        Assert.AreEqual(ReconstructionLoss.Gaussian, vae.Options.ReconstructionLoss);
        Assert.AreEqual(FeatureScaling.MinMax, vae.Options.Scaling);
        CollectionAssert.AreEqual(new[] { 64, 32 }, vae.Options.HiddenLayers.ToArray());
        Assert.AreEqual(preset.BatchSize, vae.Options.BatchSize);
        Assert.AreEqual(preset.TrainingSteps, vae.Options.TrainingSteps);
        Assert.AreEqual(preset.TrimFraction, vae.Options.TrimFraction);
        Assert.AreEqual(preset.ScoreKind, vae.Options.ScoreKind);
        Assert.IsFalse(vae.TrainingSummary.PosteriorCollapse);
    }

    [TestMethod]
    public void PixelLikeDataGetBinaryCrossEntropyAndAGivenLossBringsItsScaling()
    {
        var cli = new CliRunner();
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, 16).Select(i => $"p{i}")) + "\n");
        var random = new Random(2);
        for (int r = 0; r < 100; r++)
        {
            text.AppendLine(string.Join(',', Enumerable.Range(0, 16).Select(_ => random.Next(4) switch { 0 => "0.5", 1 => "1", _ => "0" })));
        }

        string data = cli.WriteFile("pixels.csv", text.ToString());
        string model = cli.PathOf("m.vae");
        Assert.AreEqual(0, cli.Run("train", "-i", data, "-m", model, "--epochs", "1").ExitCode);
        Assert.AreEqual(ReconstructionLoss.BinaryCrossEntropy, VaeTransformer.Load(model).Options.ReconstructionLoss);
        Assert.AreEqual(FeatureScaling.MinMax, VaeTransformer.Load(model).Options.Scaling);

        Assert.AreEqual(0, cli.Run("train", "-i", data, "-m", model, "--epochs", "1", "--loss", "squared-error").ExitCode);
        Assert.AreEqual(FeatureScaling.Standard, VaeTransformer.Load(model).Options.Scaling);

        (int code, _, string error) = cli.Run("train", "-i", data, "-m", model, "--loss", "bce", "--scaling", "standard");
        Assert.AreEqual(1, code);
        StringAssert.StartsWith(error, "error: --loss bce needs values in [0, 1]");
    }

    [TestMethod]
    public void TabularDataGetThePresetAndTheTorchSharpEngineAFallbackItSupports()
    {
        VaeOptions managed = TrainingDefaults.For(8, pixelLike: false);
        VaeOptions preset = VaeOptions.ForAnomalyDetection();
        Assert.AreEqual(preset with { HiddenLayers = managed.HiddenLayers }, managed);
        CollectionAssert.AreEqual(preset.HiddenLayers.ToArray(), managed.HiddenLayers.ToArray());
        VaeOptions torch = TrainingDefaults.For(8, pixelLike: false, managedEngine: false);
        Assert.AreEqual(ReconstructionLoss.SquaredError, torch.ReconstructionLoss);
        Assert.AreEqual(FeatureScaling.Standard, torch.Scaling);
        VaeOptions pixels = TrainingDefaults.For(784, pixelLike: true);
        Assert.AreEqual(ReconstructionLoss.BinaryCrossEntropy, pixels.ReconstructionLoss);
        Assert.AreEqual(FeatureScaling.MinMax, pixels.Scaling);
        CollectionAssert.AreEqual(new[] { 512, 256 }, pixels.HiddenLayers.ToArray());
    }

    [TestMethod]
    public void HiddenLayersGrowWithTheFeatureCount()
    {
        CollectionAssert.AreEqual(new[] { 16, 8 }, TrainingDefaults.HiddenLayers(3));
        CollectionAssert.AreEqual(new[] { 64, 32 }, TrainingDefaults.HiddenLayers(30));
        CollectionAssert.AreEqual(new[] { 512, 256 }, TrainingDefaults.HiddenLayers(784));
        CollectionAssert.AreEqual(new[] { 512, 256 }, TrainingDefaults.HiddenLayers(1_000_000));
        Assert.IsTrue(TrainingDefaults.IsPixelLike([0, 1, 1, 0.5f]));
        Assert.IsFalse(TrainingDefaults.IsPixelLike([0.1f, 0.2f, 0.3f, 1]), "rescaled continuous values");
        Assert.IsFalse(TrainingDefaults.IsPixelLike([0, 1, 2]), "outside [0, 1]");
    }
}
