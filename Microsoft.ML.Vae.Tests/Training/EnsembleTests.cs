using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

/// <summary>
/// <see cref="VaeOptions.EnsembleSize"/>: the score averages the networks' scores, every other output is the model's own
/// network's, each extra network trains on its own share of the rows, and a seed gives the same ensemble.
/// </summary>
[TestClass]
public sealed class EnsembleTests
{
    private static readonly Lazy<(float[][] Rows, bool[] IsOutlier)> s_planted = new(() => SyntheticData.WithOutliers(600, 12, 10, seed: 31));

    private static VaeOptions Options(ScoreKind scoreKind) =>
        TestModels.Options(ReconstructionLoss.Gaussian) with { ScoreKind = scoreKind, EnsembleSize = 3, Epochs = 4 };

    [TestMethod]
    [DataRow(ScoreKind.ReconstructionError)]
    [DataRow(ScoreKind.NegativeElbo)]
    public void ScoreIsTheMeanOfTheNetworksScores(ScoreKind scoreKind)
    {
        float[][] rows = s_planted.Value.Rows;
        VaeTransformer model = new VaeEstimator(Options(scoreKind)).Fit(rows);
        Assert.HasCount(2, model.EnsembleNetworks);

        // Each network alone, as a one-network model with the same scaler.
        VaePrediction[][] alone = [.. new[] { model.Network }.Concat(model.EnsembleNetworks).Select(network =>
            new VaeTransformer(model.Options with { EnsembleSize = 1 }, network, model.Scaler, float.NaN, model.TrainingSummary, null).Transform(rows))];
        VaePrediction[] predictions = model.Transform(rows);
        for (int r = 0; r < rows.Length; r++)
        {
            double mean = alone.Average(p => (double)p[r].Score);
            Assert.AreEqual(mean, predictions[r].Score, 1e-6 + (1e-5 * Math.Abs(mean)), $"row {r}");
            Assert.AreEqual(alone[0][r].ReconstructionError, predictions[r].ReconstructionError, $"row {r}: the model's own network's error");
            CollectionAssert.AreEqual(alone[0][r].LatentMean, predictions[r].LatentMean, $"row {r}: the model's own network's latent mean");
            CollectionAssert.AreEqual(alone[0][r].Reconstruction, predictions[r].Reconstruction, $"row {r}: the model's own network's reconstruction");
            Assert.AreEqual(predictions[r].Score > model.Threshold, predictions[r].PredictedLabel, $"row {r}: the label follows the ensemble's score");
        }

        Assert.IsTrue(alone[1].Zip(alone[2]).Any(p => p.First.Score != p.Second.Score), "the extra networks differ");
    }

    [TestMethod]
    public void ScoringOnlyTheScoreGivesTheSameValues()
    {
        float[][] rows = s_planted.Value.Rows;
        VaeTransformer model = new VaeEstimator(Options(ScoreKind.ReconstructionError)).Fit(rows);
        float[] features = [.. rows.SelectMany(r => r)];
        var scoreOnly = new float[rows.Length];
        var labels = new bool[rows.Length];
        model.Transform(features, default, default, default, default, scoreOnly, labels);
        CollectionAssert.AreEqual(model.Transform(rows).Select(p => p.Score).ToArray(), scoreOnly);

        var errors = new float[rows.Length];
        var scores = new float[rows.Length];
        model.Transform(features, default, default, default, errors, scores, default);
        CollectionAssert.AreEqual(scoreOnly, scores);
        CollectionAssert.AreNotEqual(errors, scores, "the error column is the model's own network's, not the average");
    }

    [TestMethod]
    public void EachExtraNetworkTrainsOnItsOwnShareOfTheRows()
    {
        int[] first = EnsembleSample.Rows(1000, 0.5f, seed: 7, member: 1);
        int[] second = EnsembleSample.Rows(1000, 0.5f, seed: 7, member: 2);
        Assert.HasCount(500, first);
        Assert.AreEqual(500, first.Distinct().Count());
        CollectionAssert.AreEqual(first.Order().ToArray(), first, "in row order");
        Assert.IsTrue(first.All(r => r is >= 0 and < 1000));
        CollectionAssert.AreNotEqual(first, second);
        CollectionAssert.AreEqual(first, EnsembleSample.Rows(1000, 0.5f, seed: 7, member: 1), "the same for the same seed");
        CollectionAssert.AreNotEqual(first, EnsembleSample.Rows(1000, 0.5f, seed: 8, member: 1));
        Assert.HasCount(2, EnsembleSample.Rows(3, 0.01f, seed: 0, member: 1), "at least two rows");
        Assert.HasCount(1, EnsembleSample.Rows(1, 0.5f, seed: 0, member: 1), "all rows when there are fewer");
        Assert.HasCount(3, EnsembleSample.Rows(3, 1f, seed: 0, member: 1));
        Assert.AreNotEqual(EnsembleSample.Seed(7, 1), EnsembleSample.Seed(7, 2));
        Assert.AreNotEqual(8, EnsembleSample.Seed(7, 1), "not the next seed's own network");
    }

    [TestMethod]
    public void TwoRowsTrainAnEnsembleWithAValidationSplit()
    {
        // Each extra network trains on both rows: half of two would leave it one row, too few to split off validation.
        float[][] rows = [[1f, 2f, 3f], [2f, 3f, 5f]];
        VaeTransformer model = new VaeEstimator(Options(ScoreKind.ReconstructionError) with { ValidationFraction = 0.5f, Epochs = 2 }).Fit(rows);
        Assert.HasCount(2, model.EnsembleNetworks);
        Assert.IsTrue(model.Transform(rows).All(p => float.IsFinite(p.Score)));
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameEnsemble()
    {
        float[][] rows = s_planted.Value.Rows;
        byte[] Saved(VaeOptions options)
        {
            using var stream = new MemoryStream();
            new VaeEstimator(options).Fit(rows).Save(stream);
            return stream.ToArray();
        }

        VaeOptions options = Options(ScoreKind.ReconstructionError);
        CollectionAssert.AreEqual(Saved(options), Saved(options));
        CollectionAssert.AreNotEqual(Saved(options), Saved(options with { Seed = options.Seed + 1 }));
    }

    [TestMethod]
    public void BatchScoringOfAnEnsembleAllocatesNothing()
    {
        float[][] rows = s_planted.Value.Rows;
        VaeTransformer model = new VaeEstimator(Options(ScoreKind.ReconstructionError) with { Epochs = 2 }).Fit(rows);
        rows = rows[..16]; // one chunk, scored on this thread, whose allocations are counted
        float[] features = [.. rows.SelectMany(r => r)];
        var scores = new float[rows.Length];
        var labels = new bool[rows.Length];
        long allocated = Allocations.SteadyState(() => model.Transform(features, default, default, default, default, scores, labels));
        Assert.AreEqual(0L, allocated, $"{allocated} bytes allocated per call");
    }

    [TestMethod]
    public void EveryNetworkReportsItsEpochs()
    {
        var reports = new List<VaeEpochReport>();
        VaeOptions options = Options(ScoreKind.ReconstructionError) with { Epochs = 2, EnsembleSampleFraction = 0.5f };
        new VaeEstimator(options).Fit(s_planted.Value.Rows, new InlineReports(reports.Add));
        int[][] epochsByNetwork = [.. reports.GroupBy(r => r.Network).OrderBy(g => g.Key).Select(g => g.Select(r => r.Epoch).ToArray())];
        Assert.HasCount(3, epochsByNetwork, "networks 1, 2 and 3 report");
        CollectionAssert.AreEqual(new[] { 1, 1, 2, 2, 3, 3 }, reports.Select(r => r.Network).ToArray(), "one network after another");
        Assert.IsTrue(epochsByNetwork.All(e => e.SequenceEqual([1, 2])));
        Assert.AreEqual(options.EnsembleEpochsFor(s_planted.Value.Rows.Length), reports.Count);
    }

    /// <summary>Collects reports on the reporting thread (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class InlineReports(Action<VaeEpochReport> report) : IProgress<VaeEpochReport>
    {
        public void Report(VaeEpochReport value) => report(value);
    }
}
