namespace Microsoft.ML.Vae.Tests;

[TestClass]
public sealed class BadInputTests
{
    private static VaeEstimator Estimator(VaeOptions? options = null) => new(options ?? TestModels.Options() with { Epochs = 1 });

    [TestMethod]
    public void EmptyDataIsRejected()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Estimator().Fit(Array.Empty<float[]>()));
        StringAssert.Contains(e.Message, "no rows");
    }

    [TestMethod]
    public void RowsWithoutColumnsAreRejected()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Estimator().Fit([[], []]));
        StringAssert.Contains(e.Message, "no feature columns");
    }

    [TestMethod]
    public void RaggedRowsNameTheRow()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Estimator().Fit([[0.1f, 0.2f], [0.3f, 0.4f], [0.5f]]));
        StringAssert.Contains(e.Message, "Row 2 has 1 values");
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    [DataRow(float.NegativeInfinity)]
    public void NonFiniteValuesNameRowAndColumn(float bad)
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Estimator().Fit([[0.1f, 0.2f, 0.3f], [0.3f, 0.4f, bad]]));
        StringAssert.Contains(e.Message, "Row 1, column 2");
    }

    [TestMethod]
    public void NonFiniteValuesAtScoringNameRowAndColumn()
    {
        float[][] rows = [.. TestModels.SmallRows[..3].Select(r => (float[])r.Clone())];
        rows[2][5] = float.NaN;
        var e = Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.Transform(rows));
        StringAssert.Contains(e.Message, "Row 2, column 5");
    }

    [TestMethod]
    public void NonFiniteValueInBatchScoringWritesNoOutput()
    {
        // 400 rows: several chunks, scored on the pool where the machine has more than one core.
        float[] features = TestModels.SmallRows.SelectMany(r => r).ToArray();
        features[(350 * 8) + 3] = float.PositiveInfinity;
        float[] mean = Filled(800), reconstruction = Filled(3200), scores = Filled(400);
        var e = Assert.ThrowsExactly<ArgumentException>(
            () => TestModels.Small.Transform(features, mean, default, reconstruction, default, scores, default));
        StringAssert.Contains(e.Message, "Row 350, column 3");
        Assert.IsTrue(mean.Concat(reconstruction).Concat(scores).All(v => v == -7f), "an output was written");

        static float[] Filled(int length) => Enumerable.Repeat(-7f, length).ToArray();
    }

    [TestMethod]
    public void WrongWidthAtScoringNamesTheRow()
    {
        float[][] rows = [TestModels.SmallRows[0], new float[5]];
        var e = Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.Transform(rows));
        StringAssert.Contains(e.Message, "Row 1 has 5 values but the model expects 8");
        Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.Transform(new float[13], default, default, default, default, new float[2], default));
        Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.Decode([new float[3]]));
    }

    [TestMethod]
    public void TooSmallOutputBufferIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => TestModels.Small.Transform(new float[16], default, default, default, default, new float[1], default));
        Assert.AreEqual("score", e.ParamName);
    }

    [TestMethod]
    public void BinaryCrossEntropyRejectsUnscaledValuesOutsideTheUnitInterval()
    {
        var options = TestModels.Options() with { Scaling = FeatureScaling.None, Epochs = 1 };
        var e = Assert.ThrowsExactly<ArgumentException>(() => new VaeEstimator(options).Fit([[0.1f, 0.2f], [0.3f, 1.5f]]));
        StringAssert.Contains(e.Message, "Row 1, column 1 is 1.5");
        StringAssert.Contains(e.Message, "BinaryCrossEntropy");
    }

    [TestMethod]
    public void InvalidOptionsNameTheOption()
    {
        (VaeOptions Options, string Name)[] cases =
        [
            (new VaeOptions { LatentDimension = 0 }, nameof(VaeOptions.LatentDimension)),
            (new VaeOptions { BatchSize = 0 }, nameof(VaeOptions.BatchSize)),
            (new VaeOptions { Contamination = 0.6f }, nameof(VaeOptions.Contamination)),
            (new VaeOptions { Contamination = -0.01f }, nameof(VaeOptions.Contamination)),
            (new VaeOptions { Contamination = float.NaN }, nameof(VaeOptions.Contamination)),
            (new VaeOptions { HiddenLayers = [16, 0] }, nameof(VaeOptions.HiddenLayers)),
            (new VaeOptions { HiddenLayers = [-3] }, nameof(VaeOptions.HiddenLayers)),
            (new VaeOptions { Epochs = 0 }, nameof(VaeOptions.Epochs)),
            (new VaeOptions { LearningRate = 0 }, nameof(VaeOptions.LearningRate)),
            (new VaeOptions { Beta = -1 }, nameof(VaeOptions.Beta)),
            (new VaeOptions { ValidationFraction = 1 }, nameof(VaeOptions.ValidationFraction)),
            (new VaeOptions { EarlyStoppingPatience = 2 }, nameof(VaeOptions.EarlyStoppingPatience)),
            (new VaeOptions { GradientClipNorm = -1 }, nameof(VaeOptions.GradientClipNorm)),
            (new VaeOptions { ThreadCount = -1 }, nameof(VaeOptions.ThreadCount)),
            (new VaeOptions { Scaling = FeatureScaling.Standard }, nameof(VaeOptions.Scaling)),
            (new VaeOptions { TrainingSteps = -1 }, nameof(VaeOptions.TrainingSteps)),
            (new VaeOptions { TrimFraction = 0.5f }, nameof(VaeOptions.TrimFraction)),
            (new VaeOptions { TrimFraction = float.NaN }, nameof(VaeOptions.TrimFraction)),
            (new VaeOptions { InputNoise = 1f }, nameof(VaeOptions.InputNoise)),
            (new VaeOptions { InputNoise = -0.1f }, nameof(VaeOptions.InputNoise)),
            (new VaeOptions { EnsembleSize = 0 }, nameof(VaeOptions.EnsembleSize)),
            (new VaeOptions { EnsembleSize = 65 }, nameof(VaeOptions.EnsembleSize)),
            (new VaeOptions { EnsembleSampleFraction = 0 }, nameof(VaeOptions.EnsembleSampleFraction)),
            (new VaeOptions { EnsembleSampleFraction = 1.5f }, nameof(VaeOptions.EnsembleSampleFraction)),
            (new VaeOptions { EnsembleSampleFraction = float.NaN }, nameof(VaeOptions.EnsembleSampleFraction)),
            (new VaeOptions { ScoreKind = (ScoreKind)7 }, nameof(VaeOptions.ScoreKind)),
            (new VaeOptions { ReconstructionLoss = (ReconstructionLoss)9 }, nameof(VaeOptions.ReconstructionLoss)),
        ];
        foreach ((VaeOptions options, string name) in cases)
        {
            var e = Assert.ThrowsExactly<ArgumentException>(() => new VaeEstimator(options), name);
            Assert.AreEqual(name, e.ParamName);
            StringAssert.Contains(e.Message, $"VaeOptions.{name}");
        }
    }

    [TestMethod]
    public void ConstantColumnsScaleSafely()
    {
        float[][] rows = SyntheticData.Manifold(100, 4, seed: 21).Select(r => new[] { r[0], 7f, r[1], 0f, r[2] }).ToArray();
        foreach (FeatureScaling scaling in new[] { FeatureScaling.MinMax, FeatureScaling.Standard })
        {
            var options = TestModels.Options(ReconstructionLoss.SquaredError) with { Scaling = scaling, Epochs = 3 };
            VaeTransformer model = new VaeEstimator(options).Fit(rows);
            VaePrediction[] predictions = model.Transform(rows);
            Assert.IsTrue(predictions.All(p => float.IsFinite(p.Score) && p.Reconstruction.All(float.IsFinite)), scaling.ToString());
            Assert.IsTrue(model.TrainingSummary.History.All(h => float.IsFinite(h.Loss)), scaling.ToString());
        }
    }

    [TestMethod]
    public void ValidationSplitNeedsTwoRows()
    {
        var options = TestModels.Options() with { ValidationFraction = 0.5f, Epochs = 1 };
        var e = Assert.ThrowsExactly<ArgumentException>(() => new VaeEstimator(options).Fit([[0.5f, 0.5f]]));
        StringAssert.Contains(e.Message, "ValidationFraction");
    }
}
