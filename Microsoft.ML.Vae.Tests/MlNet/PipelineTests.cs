using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.Tests.MlNet;

[TestClass]
public sealed class PipelineTests
{
    private static readonly Lazy<(MLContext Ml, IDataView Data, TransformerChain<VaeTransformer> Model)> s_pipeline = new(() =>
    {
        var ml = new MLContext(seed: 0);
        IDataView data = MlNetData.Columns(ml, TestModels.SmallRows);
        var model = ml.Transforms.Concatenate("Features", MlNetData.ColumnNames)
            .Append(ml.Transforms.Vae(TestModels.Options()))
            .Fit(data);
        return (ml, data, model);
    });

    private static MLContext Ml => s_pipeline.Value.Ml;

    private static IDataView Data => s_pipeline.Value.Data;

    private static TransformerChain<VaeTransformer> Model => s_pipeline.Value.Model;

    [TestMethod]
    public void FitOnAnIDataViewTrainsTheSameModelAsTheArrays()
    {
        VaeTransformer vae = Model.LastTransformer;
        Assert.AreEqual(TestModels.Small.Threshold, vae.Threshold);
        CollectionAssert.AreEqual(TestModels.Small.Encode(TestModels.SmallRows)[7], vae.Encode(TestModels.SmallRows)[7]);
        CollectionAssert.AreEqual(MlNetData.ColumnNames, vae.FeatureNames!.ToArray(), "Concatenate's slot names become the feature names");
    }

    [TestMethod]
    public void TransformAddsTheSixColumnsWithTheirTypesAndKeepsTheInputColumns()
    {
        DataViewSchema schema = Model.Transform(Data).Schema;
        foreach (DataViewSchema.Column input in Data.Schema)
        {
            Assert.AreEqual(input.Type, schema[input.Name].Type, input.Name);
        }

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), schema["LatentMean"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), schema["LatentLogVariance"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 8), schema["Reconstruction"].Type);
        Assert.AreEqual(NumberDataViewType.Single, schema["ReconstructionError"].Type);
        Assert.AreEqual(NumberDataViewType.Single, schema["Score"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, schema["PredictedLabel"].Type);
        Assert.AreEqual(schema.ToString(), Model.GetOutputSchema(Data.Schema).ToString());
    }

    [TestMethod]
    public void TransformGivesTheArrayApisValuesForEveryColumn()
    {
        IDataView scored = Model.Transform(Data);
        VaePrediction[] expected = TestModels.Small.Transform(TestModels.SmallRows);
        float[] scores = MlNetData.Singles(scored, "Score");
        float[] errors = MlNetData.Singles(scored, "ReconstructionError");
        bool[] labels = scored.GetColumn<bool>("PredictedLabel").ToArray();
        float[][] means = MlNetData.Vectors(scored, "LatentMean");
        float[][] logVariances = MlNetData.Vectors(scored, "LatentLogVariance");
        float[][] reconstructions = MlNetData.Vectors(scored, "Reconstruction");
        float[] ids = scored.GetColumn<int>("Id").Select(i => (float)i).ToArray();

        Assert.HasCount(expected.Length, scores);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.AreEqual(r, ids[r]);
            Assert.AreEqual(expected[r].Score, scores[r]);
            Assert.AreEqual(expected[r].ReconstructionError, errors[r]);
            Assert.AreEqual(expected[r].PredictedLabel, labels[r]);
            CollectionAssert.AreEqual(expected[r].LatentMean, means[r]);
            CollectionAssert.AreEqual(expected[r].LatentLogVariance, logVariances[r]);
            CollectionAssert.AreEqual(expected[r].Reconstruction, reconstructions[r]);
        }
    }

    [TestMethod]
    public void KMeansClustersTheLatentMeansInTheSamePipeline()
    {
        var pipeline = Ml.Transforms.Concatenate("Features", MlNetData.ColumnNames)
            .Append(Ml.Transforms.Vae(TestModels.Options()))
            .Append(Ml.Clustering.Trainers.KMeans("LatentMean", numberOfClusters: 3));
        var model = pipeline.Fit(Data);
        IDataView clustered = model.Transform(Data);
        uint[] clusters = clustered.GetColumn<uint>("PredictedLabel").ToArray();
        Assert.HasCount(TestModels.SmallRows.Length, clusters);
        Assert.IsGreaterThan(1, clusters.Distinct().Count(), "k-means on the latent means found more than one cluster");
        ClusteringMetrics metrics = Ml.Clustering.Evaluate(clustered, scoreColumnName: "Score", featureColumnName: "LatentMean");
        Assert.IsTrue(double.IsFinite(metrics.AverageDistance) && metrics.AverageDistance >= 0, $"average distance {metrics.AverageDistance}");
    }

    [TestMethod]
    public void AnomalyEvaluatorReadsScoreAndPredictedLabel()
    {
        var (rows, isOutlier) = SyntheticData.WithOutliers(1000, 20, 12, seed: 2);
        var ml = new MLContext(seed: 0);
        IDataView data = ml.Data.LoadFromEnumerable(rows.Select((r, i) => new LabeledRow { Features = r, Label = isOutlier[i] ? 1f : 0f }).ToArray());
        var model = ml.Transforms.Vae(TestModels.Options() with { HiddenLayers = [32, 16], Epochs = 60, Contamination = 0.02f }).Fit(data);
        Microsoft.ML.Data.AnomalyDetectionMetrics metrics = ml.AnomalyDetection.Evaluate(model.Transform(data));
        Assert.IsGreaterThanOrEqualTo(0.95, metrics.AreaUnderRocCurve, $"AUC {metrics.AreaUnderRocCurve}");
        Assert.IsGreaterThan(0.0, metrics.DetectionRateAtFalsePositiveCount);
    }

    [TestMethod]
    public void PredictionEngineScoresLikeTheArrayApi()
    {
        var engine = Ml.Model.CreatePredictionEngine<MlNetData.ColumnsRow, MlNetData.Prediction>(Model);
        VaePrediction[] expected = TestModels.Small.Transform(TestModels.SmallRows);
        foreach (int r in new[] { 0, 1, 1, 37, 399 })
        {
            float[] x = TestModels.SmallRows[r];
            MlNetData.Prediction p = engine.Predict(new MlNetData.ColumnsRow { F0 = x[0], F1 = x[1], F2 = x[2], F3 = x[3], F4 = x[4], F5 = x[5], F6 = x[6], F7 = x[7] });
            Assert.AreEqual(expected[r].Score, p.Score, $"row {r}");
            Assert.AreEqual(expected[r].ReconstructionError, p.ReconstructionError);
            Assert.AreEqual(expected[r].PredictedLabel, p.PredictedLabel);
            CollectionAssert.AreEqual(expected[r].LatentMean, p.LatentMean);
            CollectionAssert.AreEqual(expected[r].LatentLogVariance, p.LatentLogVariance);
            CollectionAssert.AreEqual(expected[r].Reconstruction, p.Reconstruction);
        }
    }

    [TestMethod]
    public void RenamedColumnsAreWhatTheTransformerWrites()
    {
        var ml = new MLContext(seed: 0);
        IDataView data = MlNetData.Vectors(ml, TestModels.SmallRows);
        VaeOptions options = TestModels.Options() with
        {
            FeatureColumnName = "Features",
            LatentMeanColumnName = "Code",
            LatentLogVarianceColumnName = "CodeLogVariance",
            ReconstructionColumnName = "Rebuilt",
            ReconstructionErrorColumnName = "Error",
            ScoreColumnName = "VaeScore",
            PredictedLabelColumnName = "IsAnomaly",
        };
        VaeTransformer model = ml.Transforms.Vae(options).Fit(data);
        DataViewSchema schema = model.Transform(data).Schema;
        CollectionAssert.AreEqual(
            new[] { "Id", "Features", "Code", "CodeLogVariance", "Rebuilt", "Error", "VaeScore", "IsAnomaly" },
            schema.Select(c => c.Name).ToArray());
        CollectionAssert.AreEqual(
            TestModels.Small.Transform(TestModels.SmallRows).Select(p => p.Score).ToArray(),
            MlNetData.Singles(model.Transform(data), "VaeScore"));
    }

    [TestMethod]
    public void SparseFeatureVectorsReadAsTheirDenseValues()
    {
        var ml = new MLContext(seed: 0);
        float[][] rows = TestModels.SmallRows.Select(r => r.Select((v, i) => i % 3 == 0 ? 0f : v).ToArray()).ToArray();
        SparseRow[] sparse = rows.Select(r =>
        {
            int[] indices = Enumerable.Range(0, r.Length).Where(i => r[i] != 0f).ToArray();
            return new SparseRow { Features = new VBuffer<float>(r.Length, indices.Length, indices.Select(i => r[i]).ToArray(), indices) };
        }).ToArray();
        IDataView data = ml.Data.LoadFromEnumerable(sparse);
        VaeTransformer fromSparse = ml.Transforms.Vae(TestModels.Options()).Fit(data);
        VaeTransformer fromDense = new VaeEstimator(TestModels.Options()).Fit(rows);
        Assert.AreEqual(fromDense.Threshold, fromSparse.Threshold);
        CollectionAssert.AreEqual(fromDense.Transform(rows).Select(p => p.Score).ToArray(), MlNetData.Singles(fromSparse.Transform(data), "Score"));
    }

    public sealed class SparseRow
    {
        [VectorType(8)]
        public VBuffer<float> Features { get; set; }
    }

    public sealed class LabeledRow
    {
        [VectorType(12)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
