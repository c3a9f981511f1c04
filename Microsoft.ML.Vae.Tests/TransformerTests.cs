using Microsoft.ML.Vae.Data;

namespace Microsoft.ML.Vae.Tests;

[TestClass]
public sealed class TransformerTests
{
    [TestMethod]
    public void TransformGivesEveryColumnWithConsistentValues()
    {
        VaeTransformer model = TestModels.Small;
        VaePrediction[] predictions = model.Transform(TestModels.SmallRows);
        Assert.HasCount(TestModels.SmallRows.Length, predictions);
        foreach (VaePrediction p in predictions)
        {
            Assert.HasCount(2, p.LatentMean);
            Assert.HasCount(2, p.LatentLogVariance);
            Assert.HasCount(8, p.Reconstruction);
            Assert.AreEqual(p.ReconstructionError, p.Score);
            Assert.AreEqual(p.Score > model.Threshold, p.PredictedLabel);
            Assert.IsTrue(float.IsFinite(p.Score) && p.Score >= 0);
        }
    }

    [TestMethod]
    public void ThresholdFlagsTheContaminationShareOfTrainingRows()
    {
        VaeTransformer model = TestModels.Small;
        int flagged = model.Transform(TestModels.SmallRows).Count(p => p.PredictedLabel);
        double share = flagged / (double)TestModels.SmallRows.Length;
        Assert.AreEqual(model.Options.Contamination, share, 1.0 / TestModels.SmallRows.Length + 1e-9);
    }

    [TestMethod]
    public void EncodeReconstructAndDecodeAgreeWithTransform()
    {
        VaeTransformer model = TestModels.Small;
        float[][] rows = TestModels.SmallRows[..20];
        VaePrediction[] predictions = model.Transform(rows);
        float[][] latent = model.Encode(rows);
        float[][] reconstructed = model.Reconstruct(rows);
        float[][] decoded = model.Decode(latent);
        for (int r = 0; r < rows.Length; r++)
        {
            CollectionAssert.AreEqual(predictions[r].LatentMean, latent[r]);
            CollectionAssert.AreEqual(predictions[r].Reconstruction, reconstructed[r]);
            CollectionAssert.AreEqual(predictions[r].Reconstruction, decoded[r]);
        }
    }

    [TestMethod]
    public void ReconstructionIsInOriginalUnits()
    {
        // Min-max scaling makes a shifted, stretched copy of the data look the same to the network, so its
        // reconstruction must be the original's, shifted and stretched back.
        float[][] rows = SyntheticData.Manifold(200, 6, seed: 9);
        float[][] stretched = rows.Select(r => r.Select(v => (v * 1000f) + 250f).ToArray()).ToArray();
        VaeOptions options = TestModels.Options() with { Epochs = 3 };
        float[][] small = new VaeEstimator(options).Fit(rows).Reconstruct(rows);
        float[][] large = new VaeEstimator(options).Fit(stretched).Reconstruct(stretched);
        for (int r = 0; r < rows.Length; r++)
        {
            for (int f = 0; f < 6; f++)
            {
                Assert.AreEqual((small[r][f] * 1000f) + 250f, large[r][f], 0.5f, $"row {r}, feature {f}");
            }
        }
    }

    [TestMethod]
    public void SampleDecodesPriorDrawsDeterministically()
    {
        VaeTransformer model = TestModels.Small;
        float[][] a = model.Sample(16, seed: 1);
        float[][] b = model.Sample(16, seed: 1);
        float[][] c = model.Sample(16, seed: 2);
        Assert.HasCount(16, a);
        Assert.IsTrue(a.Zip(b).All(p => p.First.SequenceEqual(p.Second)));
        Assert.IsFalse(a.Zip(c).All(p => p.First.SequenceEqual(p.Second)));

        // BCE with MinMax: a sigmoid output maps back inside the training range of each column.
        for (int f = 0; f < 8; f++)
        {
            float min = TestModels.SmallRows.Min(r => r[f]);
            float max = TestModels.SmallRows.Max(r => r[f]);
            Assert.IsTrue(a.All(row => row[f] >= min - 1e-5f && row[f] <= max + 1e-5f), $"feature {f}");
        }
    }

    [TestMethod]
    public void ReconstructDenoises()
    {
        VaeOptions options = TestModels.Options() with { Epochs = 20, Beta = 0.1f, LearningRate = 1e-2f };
        VaeTransformer model = new VaeEstimator(options).Fit(SyntheticData.Manifold(600, 30, seed: 12));
        float[][] clean = SyntheticData.Manifold(100, 30, seed: 12, noise: 0f);
        var random = new Random(3);
        float[][] noisy = clean.Select(r => r.Select(v => Math.Clamp(v + (float)(random.NextDouble() - 0.5), 0f, 1f)).ToArray()).ToArray();
        float[][] cleaned = model.Reconstruct(noisy);

        static double Mse(float[][] a, float[][] b) => a.Zip(b).Average(p => p.First.Zip(p.Second).Average(v => (v.First - v.Second) * (v.First - v.Second)));
        double before = Mse(noisy, clean);
        double after = Mse(cleaned, clean);
        Assert.IsLessThan(before * 0.6, after, $"noisy {before:G4}, reconstructed {after:G4}");
    }

    [TestMethod]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy)]
    [DataRow(ReconstructionLoss.SquaredError)]
    public void RowsOutsideTheTrainingRangeGetFiniteHigherScores(ReconstructionLoss loss)
    {
        float[][] rows = SyntheticData.Manifold(300, 6, seed: 13);
        var options = TestModels.Options(loss) with { Epochs = 20, Scaling = loss == ReconstructionLoss.SquaredError ? FeatureScaling.Standard : FeatureScaling.MinMax };
        VaeTransformer model = new VaeEstimator(options).Fit(rows);
        float maxTrainingScore = model.Transform(rows).Max(p => p.Score);

        float[][] outside = [[5f, 5f, 5f, 5f, 5f, 5f], [-3f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f], [100f, -100f, 100f, -100f, 100f, -100f]];
        foreach (VaePrediction p in model.Transform(outside))
        {
            Assert.IsTrue(float.IsFinite(p.Score), $"score {p.Score}");
            Assert.IsGreaterThan(maxTrainingScore, p.Score);
            Assert.IsTrue(p.PredictedLabel);
            Assert.IsTrue(p.Reconstruction.All(float.IsFinite));
        }
    }

    [TestMethod]
    public void ScoringFromEightThreadsEqualsSerialScoring()
    {
        VaeTransformer model = TestModels.Small;
        float[][] rows = TestModels.SmallRows;
        VaePrediction[] serial = model.Transform(rows);
        var results = new VaePrediction[8][];
        using var start = new Barrier(8);
        Thread[] threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int repeat = 0; repeat < 5; repeat++)
            {
                results[t] = model.Transform(rows);
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        foreach (VaePrediction[] result in results)
        {
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.AreEqual(serial[r].Score, result[r].Score);
                CollectionAssert.AreEqual(serial[r].LatentMean, result[r].LatentMean);
                CollectionAssert.AreEqual(serial[r].Reconstruction, result[r].Reconstruction);
            }
        }
    }

    [TestMethod]
    public void BatchScoringAllocatesNothingAndMatchesTransform()
    {
        VaeTransformer model = TestModels.Small;
        float[][] rows = TestModels.SmallRows;
        float[] features = rows.SelectMany(r => r).ToArray();
        int n = rows.Length;
        var mean = new float[n * 2];
        var logVariance = new float[n * 2];
        var reconstruction = new float[n * 8];
        var errors = new float[n];
        var scores = new float[n];
        var labels = new bool[n];

        long allocated = Allocations.SteadyState(() =>
        {
            model.Transform(features, mean, logVariance, reconstruction, errors, scores, labels);
            model.Transform(features, mean, logVariance, reconstruction, errors, scores, labels);
        });
        Assert.AreEqual(0L, allocated);

        VaePrediction[] predictions = model.Transform(rows);
        for (int r = 0; r < n; r++)
        {
            Assert.AreEqual(predictions[r].Score, scores[r]);
            Assert.AreEqual(predictions[r].PredictedLabel, labels[r]);
            CollectionAssert.AreEqual(predictions[r].LatentLogVariance, logVariance.AsSpan(r * 2, 2).ToArray());
        }
    }

    [TestMethod]
    public void BatchScoringSkipsEmptyOutputs()
    {
        VaeTransformer model = TestModels.Small;
        float[] features = TestModels.SmallRows[..3].SelectMany(r => r).ToArray();
        var scores = new float[3];
        model.Transform(features, default, default, default, default, scores, default);
        CollectionAssert.AreEqual(model.Transform(TestModels.SmallRows[..3]).Select(p => p.Score).ToArray(), scores);
    }

    [TestMethod]
    [DataRow(1024, 2, 128)]
    [DataRow(784, 2, 98)] // 128 x 6 and 16 before: one thread had a chunk more than the other
    [DataRow(300, 2, 75)]
    [DataRow(100, 2, 50)]
    [DataRow(20, 2, 20)] // too few rows to split
    [DataRow(784, 1, 112)] // equal chunks on one thread too
    [DataRow(1030, 2, 103)] // 9 chunks needed, 10 given
    [DataRow(0, 2, 1)]
    public void ScoringChunksAreBalancedOverTheThreads(int rows, int threads, int expected)
    {
        Assert.AreEqual(expected, VaeTransformer.ScoringChunkRows(rows, threads));
    }

    [TestMethod]
    [DataRow(FeatureScaling.MinMax)]
    [DataRow(FeatureScaling.None)] // the reconstruction is decoded straight into the caller's buffer
    public void BatchScoringGivesEachRowTheBitsOfScoringItAlone(FeatureScaling scaling)
    {
        VaeTransformer model = scaling == FeatureScaling.None
            ? new VaeEstimator(TestModels.Options(ReconstructionLoss.SquaredError) with { Scaling = FeatureScaling.None, Epochs = 2 })
                .Fit(TestModels.SmallRows)
            : TestModels.Small;
        float[] features = TestModels.SmallRows[..300].SelectMany(r => r).ToArray();
        PredictionBuffers all = ScoreAll(model, features, 300);
        for (int r = 0; r < 300; r++)
        {
            PredictionBuffers one = ScoreAll(model, features.AsSpan(r * 8, 8).ToArray(), 1);
            CollectionAssert.AreEqual(one.LatentMean, all.LatentMean.AsSpan(r * 2, 2).ToArray(), $"row {r}");
            CollectionAssert.AreEqual(one.LatentLogVariance, all.LatentLogVariance.AsSpan(r * 2, 2).ToArray(), $"row {r}");
            CollectionAssert.AreEqual(one.Reconstruction, all.Reconstruction.AsSpan(r * 8, 8).ToArray(), $"row {r}");
            Assert.AreEqual(one.ReconstructionError[0], all.ReconstructionError[r], $"row {r}");
            Assert.AreEqual(one.Score[0], all.Score[r], $"row {r}");
            Assert.AreEqual(one.PredictedLabel[0], all.PredictedLabel[r], $"row {r}");
        }

        // Each output asked for alone holds what the full call gives.
        float[] errorsAlone = new float[300], scoresAlone = new float[300], reconstructionAlone = new float[300 * 8];
        model.Transform(features, default, default, default, errorsAlone, default, default);
        model.Transform(features, default, default, default, default, scoresAlone, default);
        model.Transform(features, default, default, reconstructionAlone, default, default, default);
        CollectionAssert.AreEqual(all.ReconstructionError, errorsAlone);
        CollectionAssert.AreEqual(all.Score, scoresAlone);
        CollectionAssert.AreEqual(all.Reconstruction, reconstructionAlone);
        CollectionAssert.AreEqual(all.ReconstructionError, all.Score);
    }

    /// <summary>Every output of one batch call, for a model with 8 features and a 2-D latent space.</summary>
    private static PredictionBuffers ScoreAll(VaeTransformer model, float[] features, int rows)
    {
        var outputs = new PredictionBuffers(rows, 8, 2);
        model.Transform(
            features, outputs.LatentMean, outputs.LatentLogVariance, outputs.Reconstruction, outputs.ReconstructionError, outputs.Score,
            outputs.PredictedLabel);
        return outputs;
    }
}
