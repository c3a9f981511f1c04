using Microsoft.ML.Data;
using Microsoft.ML.Vae.Tests;

namespace Microsoft.ML.Vae.TorchSharp.Tests;

/// <summary>A TorchSharp-trained model is an ordinary model: it saves, loads, exports to ONNX and scores like any other.</summary>
[TestClass]
public sealed class ModelTests
{
    private static VaeOptions Options => TrainingRequests.Options() with { TrainingEngine = new TorchSharpTrainingEngine(), Epochs = 5 };

    [TestMethod]
    public void TheModelSavesLoadsAndScoresThroughOnnxRuntime()
    {
        float[][] rows = SyntheticData.Manifold(600, 10, seed: 51);
        VaeTransformer model = new VaeEstimator(Options).Fit(rows);
        float[] scores = [.. model.Transform(rows).Select(p => p.Score)];
        Assert.IsTrue(scores.All(float.IsFinite));
        Assert.AreEqual(Math.Round(rows.Length * 0.05), scores.Count(s => s > model.Threshold), 2);

        string folder = Path.Combine(Path.GetTempPath(), "vae-torchsharp-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "model.vae");
            model.Save(path);
            VaeTransformer loaded = VaeTransformer.Load(path);
            CollectionAssert.AreEqual(model.Network.Parameters, loaded.Network.Parameters);
            Assert.AreEqual(model.Threshold, loaded.Threshold);
            Assert.AreEqual(model.TrainingSummary.FinalLoss, loaded.TrainingSummary.FinalLoss);
            CollectionAssert.AreEqual(scores, loaded.Transform(rows).Select(p => p.Score).ToArray());

            string onnx = Path.Combine(folder, "model.onnx");
            loaded.ExportOnnx(onnx);
            using var scorer = new OnnxVaeScorer(onnx);
            VaePrediction[] fromOnnx = scorer.Score(rows);
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.AreEqual(scores[i], fromOnnx[i].Score, 1e-6 + (1e-5 * scores[i]), $"row {i}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void AnMlNetPipelineTrainsOnTorchSharp()
    {
        var ml = new MLContext(seed: 0);
        float[][] rows = SyntheticData.Manifold(300, 8, seed: 52);
        IDataView data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }));
        var model = ml.Transforms.Vae(Options).Fit(data);
        Assert.IsInstanceOfType<TorchSharpTrainingEngine>(model.Options.TrainingEngine);

        float[] scores = [.. model.Transform(data).GetColumn<float>("Score")];
        CollectionAssert.AreEqual(model.Transform(rows).Select(p => p.Score).ToArray(), scores);
        Assert.AreEqual(Options.Epochs, model.TrainingSummary.EpochsRun);
    }

    private sealed class Row
    {
        [VectorType(8)]
        public float[] Features { get; set; } = [];
    }
}
