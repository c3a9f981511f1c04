using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests;

/// <summary>
/// The anomaly preset's score (<see cref="VaeOptions.ForAnomalyDetection"/>): planted outliers rank first, scores are
/// finite and the same for the same seed; and the negative-ELBO score is what it says.
/// </summary>
[TestClass]
public sealed class AnomalyScoreTests
{
    private static readonly Lazy<(float[][] Rows, bool[] IsOutlier)> s_planted = new(() => SyntheticData.WithOutliers(1000, 20, 12, seed: 21));

    private static VaeOptions Preset(int seed = 0) => VaeOptions.ForAnomalyDetection() with { Seed = seed, ThreadCount = 1 };

    [TestMethod]
    public void PresetRanksPlantedOutliersFirst()
    {
        (float[][] rows, bool[] isOutlier) = s_planted.Value;
        VaeTransformer model = new VaeEstimator(Preset()).Fit(rows);
        Assert.HasCount(4, model.EnsembleNetworks, "the preset's score averages 5 networks");
        VaePrediction[] predictions = model.Transform(rows);
        Assert.IsTrue(predictions.All(p => float.IsFinite(p.Score) && p.Score >= 0), "scores are finite and non-negative");

        int[] top = Enumerable.Range(0, rows.Length).OrderByDescending(i => predictions[i].Score).Take(20).ToArray();
        int found = top.Count(i => isOutlier[i]);
        Assert.IsGreaterThanOrEqualTo(19, found, $"{found} of the 20 planted outliers among the 20 highest scores");
        Assert.IsTrue(top.Take(10).All(i => predictions[i].PredictedLabel), "the 1% highest scores are predicted anomalies");
    }

    [TestMethod]
    public void PresetScoresAreTheSameForTheSameSeed()
    {
        float[][] rows = s_planted.Value.Rows;
        float[] first = new VaeEstimator(Preset(seed: 3)).Fit(rows).Transform(rows).Select(p => p.Score).ToArray();
        float[] second = new VaeEstimator(Preset(seed: 3)).Fit(rows).Transform(rows).Select(p => p.Score).ToArray();
        float[] other = new VaeEstimator(Preset(seed: 4)).Fit(rows).Transform(rows).Select(p => p.Score).ToArray();
        CollectionAssert.AreEqual(first, second);
        CollectionAssert.AreNotEqual(first, other);
    }

    [TestMethod]
    public void PresetTrainsForAboutTheTargetStepsWhateverTheRowCount()
    {
        VaeOptions preset = VaeOptions.ForAnomalyDetection();
        Assert.AreEqual(375, preset.EpochsFor(128)); // 8 batches of 16 per epoch
        Assert.AreEqual(2, preset.EpochsFor(29_000)); // 1,813 batches per epoch
        Assert.AreEqual(preset.Epochs, preset.EpochsFor(10)); // capped
        Assert.AreEqual(30, new VaeOptions().EpochsFor(128)); // without TrainingSteps, Epochs
        Assert.AreEqual(8, (preset with { ValidationFraction = 0.5f, TrainingSteps = 32 }).EpochsFor(128)); // 64 rows left: 4 batches
    }

    [TestMethod]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy)]
    [DataRow(ReconstructionLoss.SquaredError)]
    [DataRow(ReconstructionLoss.Gaussian)]
    public void NegativeElboIsTheReconstructionLossPlusKl(ReconstructionLoss loss)
    {
        float[][] rows = SyntheticData.Manifold(300, 6, seed: 22);
        var options = TestModels.Options(loss) with { ScoreKind = ScoreKind.NegativeElbo, Epochs = 5 };
        VaeTransformer model = new VaeEstimator(options).Fit(rows);
        VaePrediction[] predictions = model.Transform(rows);

        // Evaluate's per-row mean at z = latent mean is the same negative ELBO (computed from logits, in double).
        VaeLoss mean = model.Evaluate(rows);
        double scoreMean = predictions.Average(p => (double)p.Score);
        Assert.AreEqual(mean.NegativeElbo, scoreMean, 1e-3 * Math.Abs(mean.NegativeElbo), $"{loss}: Evaluate {mean.NegativeElbo}, mean score {scoreMean}");
        Assert.IsTrue(predictions.All(p => float.IsFinite(p.Score)));
        Assert.IsTrue(predictions.All(p => p.PredictedLabel == p.Score > model.Threshold), "labels follow the score's own threshold");
        int flagged = predictions.Count(p => p.PredictedLabel);
        Assert.IsTrue(flagged is > 0 and <= 30, $"{flagged} of 300 training rows above the threshold (contamination {options.Contamination})");
    }

    [TestMethod]
    public void NegativeElboBatchScoringAllocatesNothing()
    {
        float[][] rows = SyntheticData.Manifold(200, 6, seed: 23);
        VaeTransformer model = new VaeEstimator(TestModels.Options(ReconstructionLoss.Gaussian) with { ScoreKind = ScoreKind.NegativeElbo, Epochs = 2 }).Fit(rows);
        float[] features = rows.SelectMany(r => r).ToArray();
        var scores = new float[rows.Length];
        var labels = new bool[rows.Length];
        long allocated = Allocations.SteadyState(() => model.Transform(features, default, default, default, default, scores, labels));
        Assert.AreEqual(0L, allocated);
        CollectionAssert.AreEqual(model.Transform(rows).Select(p => p.Score).ToArray(), scores);
    }

    [TestMethod]
    public void TrimmingLeavesTheWorstFittedRowsOut()
    {
        (float[][] rows, bool[] isOutlier) = s_planted.Value;
        VaeTransformer model = new VaeEstimator(Preset() with { TrimFraction = 0f, EnsembleSize = 1 }).Fit(rows); // the own network only
        float[] scaled = new float[rows.Length * 12];
        model.Scaler.Transform(rows.SelectMany(r => r).ToArray(), scaled, rows.Length);

        int[] all = Enumerable.Range(0, rows.Length).ToArray();
        var trimming = new RowTrimming(model.Network.Layout, all, 0.05f);
        var kept = new int[rows.Length];
        trimming.Select(model.Network.Parameters, scaled, kept);
        Assert.AreEqual(950, trimming.KeptCount);
        int[] keptRows = kept[..trimming.KeptCount];
        CollectionAssert.AreEqual(keptRows.Order().ToArray(), keptRows, "kept rows in ascending order");
        int outliersKept = keptRows.Count(i => isOutlier[i]);
        Assert.IsLessThanOrEqualTo(1, outliersKept, $"{outliersKept} planted outliers kept");
    }

    [TestMethod]
    public void TrimmedTrainingStillReportsEveryTrainingRow()
    {
        VaeTransformer model = new VaeEstimator(Preset() with { TrainingSteps = 0, Epochs = 3, EnsembleSize = 1 }).Fit(s_planted.Value.Rows);
        Assert.AreEqual(1000, model.TrainingSummary.TrainingRowCount);
        Assert.AreEqual(3, model.TrainingSummary.EpochsRun);
    }
}
