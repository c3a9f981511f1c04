namespace Microsoft.ML.Vae.Tests.MlNet;

[TestClass]
public sealed class CatalogTests
{
    private static readonly MLContext Ml = new(seed: 0);

    [TestMethod]
    public void ShortOverloadKeepsEveryOtherDefault()
    {
        VaeOptions defaults = new(), options = Ml.Transforms.Vae().Options;
        Assert.AreEqual(defaults with { HiddenLayers = options.HiddenLayers }, options);
        CollectionAssert.AreEqual(defaults.HiddenLayers.ToArray(), options.HiddenLayers.ToArray());
    }

    [TestMethod]
    public void ShortOverloadSetsWhatItNames()
    {
        VaeOptions options = Ml.Transforms.Vae(
            featureColumnName: "Pixels", latentDimension: 10, hiddenLayers: [64], epochs: 3,
            reconstructionLoss: ReconstructionLoss.SquaredError, scaling: FeatureScaling.Standard, contamination: 0.1f, seed: 9).Options;
        Assert.AreEqual("Pixels", options.FeatureColumnName);
        Assert.AreEqual(10, options.LatentDimension);
        CollectionAssert.AreEqual(new[] { 64 }, options.HiddenLayers.ToArray());
        Assert.AreEqual(3, options.Epochs);
        Assert.AreEqual(ReconstructionLoss.SquaredError, options.ReconstructionLoss);
        Assert.AreEqual(FeatureScaling.Standard, options.Scaling);
        Assert.AreEqual(0.1f, options.Contamination);
        Assert.AreEqual(9, options.Seed);
    }

    [TestMethod]
    public void APipelineReportsProgressAndCanBeCancelled()
    {
        var recorder = new ProgressRecorder();
        IDataView data = MlNetData.Columns(Ml, TestModels.SmallRows);
        var pipeline = Ml.Transforms.Concatenate("Features", MlNetData.ColumnNames)
            .Append(Ml.Transforms.Vae(TestModels.Options() with { Epochs = 3 }, recorder));
        pipeline.Fit(data);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, recorder.Reports.Select(r => r.Epoch).ToArray());

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var cancelling = Ml.Transforms.Concatenate("Features", MlNetData.ColumnNames)
            .Append(Ml.Transforms.Vae(TestModels.Options(), progress: null, cancelled.Token));
        Assert.ThrowsExactly<OperationCanceledException>(() => cancelling.Fit(data));
    }

    [TestMethod]
    public void OptionsOverloadKeepsTheOptionsAndChecksThem()
    {
        VaeOptions options = TestModels.Options();
        Assert.AreSame(options, Ml.Transforms.Vae(options).Options);
        var e = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(TestModels.Options() with { ScoreColumnName = "LatentMean" }));
        StringAssert.Contains(e.Message, "both name the column 'LatentMean'");
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.Vae(featureColumnName: " "));
    }
}
