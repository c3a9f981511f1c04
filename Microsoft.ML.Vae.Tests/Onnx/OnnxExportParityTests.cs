using System.Globalization;
using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Onnx;
using Microsoft.ML.Vae.Onnx.Proto;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary>
/// Exported models of many shapes, untrained and trained, run in ONNX Runtime and agree with the managed transformer
/// on every output (|onnx - managed| ≤ 1e-6 + 1e-5·|managed|) at batch sizes 1, 7 and 1000.
/// </summary>
[TestClass]
public sealed class OnnxExportParityTests
{
    private static readonly int[] BatchSizes = [1, 7, 1000];

    [TestMethod]
    [DataRow(5, 1, new[] { 8 }, ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.MinMax, false, DisplayName = "F5 L1 [8] BCE MinMax untrained")]
    [DataRow(6, 2, new[] { 8 }, ReconstructionLoss.SquaredError, FeatureScaling.Standard, false, DisplayName = "F6 L2 [8] SE Standard untrained")]
    [DataRow(7, 16, new[] { 8, 16, 8 }, ReconstructionLoss.SquaredError, FeatureScaling.MinMax, false, DisplayName = "F7 L16 [8,16,8] SE MinMax untrained")]
    [DataRow(9, 3, new[] { 16, 8 }, ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.None, false, DisplayName = "F9 L3 [16,8] BCE None untrained")]
    [DataRow(10, 4, new[] { 16 }, ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.MinMax, true, DisplayName = "F10 L4 [16] BCE MinMax trained")]
    [DataRow(12, 2, new[] { 16, 8 }, ReconstructionLoss.SquaredError, FeatureScaling.Standard, true, DisplayName = "F12 L2 [16,8] SE Standard trained")]
    [DataRow(20, 16, new[] { 16, 8, 8 }, ReconstructionLoss.SquaredError, FeatureScaling.None, true, DisplayName = "F20 L16 [16,8,8] SE None trained")]
    [DataRow(8, 1, new[] { 8, 8 }, ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.None, true, DisplayName = "F8 L1 [8,8] BCE None trained")]
    [DataRow(15, 2, new[] { 16, 16, 16 }, ReconstructionLoss.SquaredError, FeatureScaling.MinMax, true, DisplayName = "F15 L2 [16,16,16] SE MinMax trained")]
    public void RuntimeMatchesManagedScoring(int features, int latent, int[] hidden, ReconstructionLoss loss, FeatureScaling scaling, bool trained)
    {
        var options = new VaeOptions
        {
            LatentDimension = latent,
            HiddenLayers = hidden,
            ReconstructionLoss = loss,
            Scaling = scaling,
            Epochs = 2,
            BatchSize = 64,
            LearningRate = 3e-3f,
            Contamination = 0.02f,
            Seed = features,
            ThreadCount = 1,
        };
        float[][] rows = SyntheticData.WithOutliers(1000, 20, features, seed: features).Rows;
        VaeTransformer model = trained ? new VaeEstimator(options).Fit(rows) : Untrained(options, rows);

        int anomalies = ExportAndCompare(model, rows, scorer =>
        {
            Assert.AreEqual(features, scorer.FeatureCount);
            Assert.AreEqual(latent, scorer.LatentDimension);
            Assert.AreEqual(model.Threshold, scorer.Threshold);
        });

        Assert.IsTrue(anomalies is > 0 and < 1000, $"the threshold flags some but not all of the 1000 rows ({anomalies})");
    }

    /// <summary>
    /// The Gaussian decoder and the negative-ELBO score, for every loss, trained (so the variances are learned), with one
    /// network or an ensemble whose score averages three.
    /// </summary>
    [TestMethod]
    [DataRow(ReconstructionLoss.Gaussian, FeatureScaling.MinMax, ScoreKind.ReconstructionError, 1, DisplayName = "Gaussian MinMax ReconstructionError")]
    [DataRow(ReconstructionLoss.Gaussian, FeatureScaling.Standard, ScoreKind.NegativeElbo, 1, DisplayName = "Gaussian Standard NegativeElbo")]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.MinMax, ScoreKind.NegativeElbo, 1, DisplayName = "BCE MinMax NegativeElbo")]
    [DataRow(ReconstructionLoss.SquaredError, FeatureScaling.None, ScoreKind.NegativeElbo, 1, DisplayName = "SE None NegativeElbo")]
    [DataRow(ReconstructionLoss.Gaussian, FeatureScaling.MinMax, ScoreKind.ReconstructionError, 3, DisplayName = "Gaussian MinMax ReconstructionError ensemble of 3")]
    [DataRow(ReconstructionLoss.Gaussian, FeatureScaling.Standard, ScoreKind.NegativeElbo, 3, DisplayName = "Gaussian Standard NegativeElbo ensemble of 3")]
    public void RuntimeMatchesManagedScoreKinds(ReconstructionLoss loss, FeatureScaling scaling, ScoreKind scoreKind, int ensembleSize)
    {
        const int Features = 11;
        var options = new VaeOptions
        {
            LatentDimension = 3,
            HiddenLayers = [16, 8],
            ReconstructionLoss = loss,
            Scaling = scaling,
            ScoreKind = scoreKind,
            EnsembleSize = ensembleSize,
            Epochs = 3,
            BatchSize = 64,
            LearningRate = 3e-3f,
            Contamination = 0.02f,
            Seed = 4,
            ThreadCount = 1,
        };
        float[][] rows = SyntheticData.WithOutliers(1000, 20, Features, seed: 6).Rows;
        VaeTransformer model = new VaeEstimator(options).Fit(rows);

        Assert.HasCount(ensembleSize - 1, model.EnsembleNetworks);

        ExportAndCompare(model, rows);
    }

    /// <summary>
    /// Exports <paramref name="model"/> to ONNX, runs <paramref name="check"/> on the scorer, and compares each of
    /// <see cref="BatchSizes"/> first rows scored both ways; returns the last batch's anomaly count.
    /// </summary>
    private static int ExportAndCompare(VaeTransformer model, float[][] rows, Action<OnnxVaeScorer>? check = null)
    {
        using var stream = new MemoryStream();
        model.ExportOnnx(stream);
        using var scorer = new OnnxVaeScorer(stream.ToArray());
        check?.Invoke(scorer);
        float[] all = FeatureMatrix.FromRows(rows).Values.ToArray();
        int anomalies = 0;
        foreach (int n in BatchSizes)
        {
            anomalies = CompareBatch(model, scorer, all.AsSpan(0, n * model.FeatureCount), n);
        }

        return anomalies;
    }

    [TestMethod]
    public void FileExportScoresLikeTheRowApi()
    {
        VaeTransformer model = Untrained(new VaeOptions { LatentDimension = 2, HiddenLayers = [8], Seed = 3 }, SyntheticData.Manifold(50, 6, seed: 3));
        string path = Path.Combine(Path.GetTempPath(), $"vaeml-export-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);
            using var scorer = new OnnxVaeScorer(path);
            float[][] rows = SyntheticData.Manifold(5, 6, seed: 4);
            VaePrediction[] expected = model.Transform(rows);
            VaePrediction[] actual = scorer.Score(rows);
            Assert.HasCount(expected.Length, actual);
            for (int r = 0; r < rows.Length; r++)
            {
                OnnxAssert.Close(expected[r].LatentMean, actual[r].LatentMean, $"row {r} LatentMean");
                OnnxAssert.Close(expected[r].LatentLogVariance, actual[r].LatentLogVariance, $"row {r} LatentLogVariance");
                OnnxAssert.Close(expected[r].Reconstruction, actual[r].Reconstruction, $"row {r} Reconstruction");
                OnnxAssert.Close(expected[r].ReconstructionError, actual[r].ReconstructionError, $"row {r} ReconstructionError");
                OnnxAssert.Close(expected[r].Score, actual[r].Score, $"row {r} Score");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ExportToAMissingFolderWritesNothing()
    {
        VaeTransformer model = Untrained(new VaeOptions { LatentDimension = 2, HiddenLayers = [8] }, SyntheticData.Manifold(20, 4, seed: 1));
        string folder = Path.Combine(Path.GetTempPath(), $"vaeml-missing-{Guid.NewGuid():N}");
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => model.ExportOnnx(Path.Combine(folder, "model.onnx")));
        Assert.IsFalse(Directory.Exists(folder));
    }

    [TestMethod]
    public void GraphFollowsTheNetworkLayoutAndCarriesMetadata()
    {
        var options = new VaeOptions { LatentDimension = 3, HiddenLayers = [16, 8, 4], ReconstructionLoss = ReconstructionLoss.SquaredError, Scaling = FeatureScaling.Standard };
        VaeTransformer model = Untrained(options, SyntheticData.Manifold(40, 9, seed: 2));
        ModelProto proto = OnnxExporter.Build(model);

        Assert.AreEqual(OnnxGraphBuilder.IrVersion, proto.IrVersion);
        Assert.AreEqual(17L, proto.OpsetImport.Single().Version);
        Assert.AreEqual(model.Network.Layout.AllLayers.Count, proto.Graph.Node.Count(n => n.OpType == "Gemm"), "one Gemm per layer");
        Assert.AreEqual(3 + 3, proto.Graph.Node.Count(n => n.OpType == "Relu"), "ReLU after each encoder and decoder hidden layer");
        Assert.AreEqual(0, proto.Graph.Node.Count(n => n.OpType == "Sigmoid"), "squared error decodes linearly");
        CollectionAssert.AreEqual(OnnxContract.Outputs, proto.Graph.Output.Select(o => o.Name).ToArray());
        Assert.AreEqual(OnnxContract.BatchDimension, proto.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.AreEqual((int)TensorProto.Types.DataType.Bool, proto.Graph.Output[5].Type.TensorType.ElemType);

        var metadata = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.AreEqual("VaeMl", metadata[OnnxContract.ProducerKey]);
        Assert.AreEqual("VaeMl", proto.ProducerName);
        Assert.AreEqual(proto.ProducerVersion, metadata[OnnxContract.LibraryVersionKey]);
        Assert.AreEqual(model.Threshold, float.Parse(metadata[OnnxContract.ThresholdKey], CultureInfo.InvariantCulture));
        Assert.AreEqual("9", metadata[OnnxContract.FeatureCountKey]);
        Assert.AreEqual("3", metadata[OnnxContract.LatentDimensionKey]);
        Assert.AreEqual(nameof(ReconstructionLoss.SquaredError), metadata[OnnxContract.ReconstructionLossKey]);
        Assert.AreEqual(nameof(FeatureScaling.Standard), metadata[OnnxContract.ScalingKey]);
        Assert.AreEqual(nameof(ScoreKind.ReconstructionError), metadata[OnnxContract.ScoreKindKey]);
        Assert.AreEqual("1", metadata[OnnxContract.EnsembleSizeKey]);
    }

    /// <summary>A freshly initialized network with a fitted scaler and a threshold at the 90th percentile of its scores.</summary>
    internal static VaeTransformer Untrained(VaeOptions options, float[][] rows)
    {
        var matrix = FeatureMatrix.FromRows(rows);
        var layout = new NetworkLayout(matrix.ColumnCount, options.LatentDimension, options.HiddenLayers, options.ReconstructionLoss);
        var network = VaeNetwork.CreateInitialized(layout, new DeterministicRandom(options.Seed + 7));
        var model = new VaeTransformer(options, network, FeatureScaler.Fit(matrix, options.Scaling), float.NaN, new VaeTrainingSummary(), null);
        var scores = new float[matrix.RowCount];
        model.Transform(matrix.Values.Span, default, default, default, default, scores, default);
        return model.WithThreshold(ThresholdCalibration.Quantile(scores, 0.1f));
    }

    /// <summary>Scores <paramref name="n"/> rows both ways and compares every output; returns the number of anomalies.</summary>
    private static int CompareBatch(VaeTransformer model, OnnxVaeScorer scorer, ReadOnlySpan<float> x, int n)
    {
        int f = model.FeatureCount, l = model.LatentDimension;
        var expected = new PredictionBuffers(n, f, l);
        var actual = new PredictionBuffers(n, f, l);
        model.Transform(x, expected.LatentMean, expected.LatentLogVariance, expected.Reconstruction, expected.ReconstructionError, expected.Score, expected.PredictedLabel);
        scorer.Score(x, actual.LatentMean, actual.LatentLogVariance, actual.Reconstruction, actual.ReconstructionError, actual.Score, actual.PredictedLabel);

        OnnxAssert.Close(expected.LatentMean, actual.LatentMean, $"batch {n} LatentMean");
        OnnxAssert.Close(expected.LatentLogVariance, actual.LatentLogVariance, $"batch {n} LatentLogVariance");
        OnnxAssert.Close(expected.Reconstruction, actual.Reconstruction, $"batch {n} Reconstruction");
        OnnxAssert.Close(expected.ReconstructionError, actual.ReconstructionError, $"batch {n} ReconstructionError");
        OnnxAssert.Close(expected.Score, actual.Score, $"batch {n} Score");
        int anomalies = 0;
        for (int r = 0; r < n; r++)
        {
            // A score within rounding of the threshold (a training row's score *is* the threshold) may land either side.
            float margin = (float)(OnnxAssert.Absolute + (OnnxAssert.Relative * Math.Abs(model.Threshold)));
            if (Math.Abs(expected.Score[r] - model.Threshold) > margin)
            {
                Assert.AreEqual(expected.PredictedLabel[r], actual.PredictedLabel[r], $"batch {n} PredictedLabel[{r}] (score {expected.Score[r]}, threshold {model.Threshold})");
            }

            anomalies += actual.PredictedLabel[r] ? 1 : 0;
        }

        return anomalies;
    }
}
