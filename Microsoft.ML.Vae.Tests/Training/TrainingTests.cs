using Microsoft.ML.Data;
using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

[TestClass]
public sealed class TrainingTests
{
    /// <summary>
    /// The loss falls, and the model reconstructs far better than a collapsed one that outputs the column means
    /// (whose mean squared error is the scaled features' mean variance). BCE's loss itself falls little: its floor is the
    /// data's own entropy.
    /// </summary>
    [TestMethod]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy)]
    [DataRow(ReconstructionLoss.SquaredError)]
    public void TrainingLowersTheLoss(ReconstructionLoss loss)
    {
        float[][] rows = SyntheticData.Manifold(512, 8, seed: 1);
        var model = new VaeEstimator(TestOptions(loss) with { Epochs = 60 }).Fit(rows);
        float[] scale = model.Scaler.Scale;
        IReadOnlyList<VaeEpochReport> history = model.TrainingSummary.History;
        Assert.HasCount(60, history);
        Assert.IsLessThan(history[0].Loss, history[^1].Loss);

        double meanVariance = Enumerable.Range(0, 8).Average(f =>
        {
            double mean = rows.Average(r => r[f]);
            return rows.Average(r => (r[f] - mean) * (r[f] - mean)) / (scale[f] * scale[f]);
        });
        double error = model.Transform(rows).Average(p => p.ReconstructionError);
        Assert.IsLessThan(0.4 * meanVariance, error, $"reconstruction error {error:G4}, column variance {meanVariance:G4}");
    }

    /// <summary>
    /// Squared error on [0, 1]-scaled features is too weak a signal against the KL term (the posterior collapses),
    /// so squared-error tests standardize, as users should.
    /// </summary>
    private static VaeOptions TestOptions(ReconstructionLoss loss) => TestModels.Options(loss) with
    {
        Scaling = loss == ReconstructionLoss.SquaredError ? FeatureScaling.Standard : FeatureScaling.MinMax,
    };

    [TestMethod]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy)]
    [DataRow(ReconstructionLoss.SquaredError)]
    public void PlantedOutliersRankFirstByScore(ReconstructionLoss loss)
    {
        (float[][] rows, bool[] isOutlier) = SyntheticData.WithOutliers(1000, 20, 12, seed: 2);
        var options = TestOptions(loss) with { HiddenLayers = [32, 16], Epochs = 60, Contamination = 0.02f };
        VaeTransformer model = new VaeEstimator(options).Fit(rows);
        var ml = new MLContext(seed: 0);
        IDataView data = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new LabeledRow { Features = r, Label = isOutlier[i] ? 1f : 0f }));
        double auc = ml.AnomalyDetection.Evaluate(model.Transform(data)).AreaUnderRocCurve;
        Assert.IsGreaterThanOrEqualTo(0.95, auc, $"ROC-AUC {auc:F4}");
    }

    [TestMethod]
    public void KlWeightRisesLinearlyDuringWarmup()
    {
        float[][] rows = SyntheticData.Manifold(128, 6, seed: 3);
        var options = TestModels.Options() with { Epochs = 6, KlWarmupEpochs = 4, Beta = 2f };
        VaeTrainingSummary summary = new VaeEstimator(options).Fit(rows).TrainingSummary;
        float[] weights = summary.History.Select(h => h.KlWeight).ToArray();
        CollectionAssert.AreEqual(new[] { 0.5f, 1f, 1.5f, 2f, 2f, 2f }, weights);
    }

    [TestMethod]
    public void WithoutWarmupTheKlWeightIsBeta()
    {
        var options = TestModels.Options() with { Epochs = 2, Beta = 0.25f };
        VaeTrainingSummary summary = new VaeEstimator(options).Fit(SyntheticData.Manifold(64, 6, seed: 3)).TrainingSummary;
        Assert.IsTrue(summary.History.All(h => h.KlWeight == 0.25f));
    }

    [TestMethod]
    public void EarlyStoppingStopsAndRestoresTheBestWeights()
    {
        float[][] rows = SyntheticData.Manifold(300, 8, seed: 4);

        // A learning rate this high makes validation loss bounce, so patience 1 ends training early.
        var options = TestModels.Options() with { Epochs = 60, ValidationFraction = 0.25f, EarlyStoppingPatience = 1, LearningRate = 0.05f };
        VaeTransformer model = new VaeEstimator(options).Fit(rows);
        VaeTrainingSummary summary = model.TrainingSummary;

        Assert.IsLessThan(60, summary.EpochsRun);
        Assert.AreEqual(summary.EpochsRun - 1, summary.BestEpoch);
        float best = summary.History.Min(h => h.ValidationLoss);
        Assert.AreEqual(best, summary.FinalValidationLoss);
        Assert.AreEqual(best, summary.History[summary.BestEpoch - 1].ValidationLoss);

        // The returned weights are the best epoch's: their validation loss is the best one, not the last one.
        (int[] validation, _) = VaeTrainer.SplitValidation(rows.Length, options.ValidationFraction, options.Seed);
        VaeLoss loss = model.Evaluate(validation.Select(i => rows[i]).ToArray());
        Assert.AreEqual(best, loss.NegativeElbo, 1e-4 * Math.Abs(best));
        Assert.AreNotEqual(summary.History[^1].ValidationLoss, best);
    }

    [TestMethod]
    public void GradientClippingCapsTheGlobalNorm()
    {
        float[] gradients = [3f, 4f, 0f, 12f]; // norm 13
        float norm = new GradientClipping(gradients.Length).Clip(gradients, 6.5f);
        Assert.AreEqual(13f, norm);
        CollectionAssert.AreEqual(new[] { 1.5f, 2f, 0f, 6f }, gradients);

        float[] small = [0.3f, 0.4f];
        new GradientClipping(small.Length).Clip(small, 6.5f);
        CollectionAssert.AreEqual(new[] { 0.3f, 0.4f }, small);
    }

    [TestMethod]
    public void TheNormIsTheSameOnAnyThreadCount()
    {
        var random = new Random(9);
        float[] gradients = Enumerable.Range(0, 300_000).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double expected = Math.Sqrt(gradients.Sum(g => (double)g * g));
        float serial = new GradientClipping(gradients.Length).Clip(gradients, 0f);
        using var pool = new WorkerPool(2);
        float parallel = new GradientClipping(gradients.Length).Clip(gradients, 0f, pool);
        Assert.AreEqual(serial, parallel);
        Assert.AreEqual(expected, serial, 1e-5 * expected);
    }

    [TestMethod]
    public void ClippedTrainingStillLearns()
    {
        float[][] rows = SyntheticData.Manifold(256, 8, seed: 6);
        var model = new VaeEstimator(TestModels.Options() with { Epochs = 10, GradientClipNorm = 0.5f }).Fit(rows);
        IReadOnlyList<VaeEpochReport> history = model.TrainingSummary.History;
        Assert.IsLessThan(history[0].Loss, history[^1].Loss);
    }

    [TestMethod]
    public void DivergenceStopsWithTheEpochAndBatch()
    {
        float[][] rows = SyntheticData.Manifold(256, 8, seed: 7).Select(r => r.Select(v => v * 1e18f).ToArray()).ToArray();
        var options = TestModels.Options(ReconstructionLoss.SquaredError) with { Scaling = FeatureScaling.None, LearningRate = 1e30f };
        var e = Assert.ThrowsExactly<VaeTrainingException>(() => new VaeEstimator(options).Fit(rows));
        StringAssert.Contains(e.Message, $"epoch {e.Epoch}, batch {e.Batch}");
        Assert.AreEqual(1, e.Epoch);
    }

    /// <summary>A row of <see cref="SyntheticData.WithOutliers"/> with its label (1 = planted outlier), as ML.NET reads it.</summary>
    private sealed class LabeledRow
    {
        [VectorType(12)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
