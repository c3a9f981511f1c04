using Microsoft.ML.Data;
using Microsoft.ML.Vae.Tests.Data;

namespace Microsoft.ML.Vae.Tests.MlNet;

[TestClass]
public sealed class ModelSaveTests
{
    private static readonly string[] Outputs = ["LatentMean", "LatentLogVariance", "Reconstruction", "ReconstructionError", "Score", "PredictedLabel"];

    [TestMethod]
    public void ModelSaveAndLoadGiveTheSameColumnsAndScores()
    {
        using var directory = new TempDirectory();
        var ml = new MLContext(seed: 0);
        IDataView data = MlNetData.Columns(ml, TestModels.SmallRows);
        var model = ml.Transforms.Concatenate("Features", MlNetData.ColumnNames).Append(ml.Transforms.Vae(TestModels.Options())).Fit(data);
        string path = System.IO.Path.Combine(directory.Path, "model.zip");
        ml.Model.Save(model, data.Schema, path);

        ITransformer loaded = new MLContext().Model.Load(path, out DataViewSchema inputSchema);
        Assert.AreEqual(data.Schema.ToString(), inputSchema.ToString());
        IDataView expected = model.Transform(data), actual = loaded.Transform(data);
        AssertSameOutputs(expected, actual, tolerance: 1e-5f);
    }

    /// <summary>Same visible column names and types, and the six outputs equal within <paramref name="tolerance"/>.</summary>
    internal static void AssertSameOutputs(IDataView expected, IDataView actual, float tolerance)
    {
        string Describe(DataViewSchema schema) =>
            string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}:{c.Type}").Order());
        Assert.AreEqual(Describe(expected.Schema), Describe(actual.Schema));

        foreach (string column in Outputs[3..5])
        {
            float[] e = MlNetData.Singles(expected, column), a = MlNetData.Singles(actual, column);
            Assert.HasCount(e.Length, a);
            for (int r = 0; r < e.Length; r++)
            {
                Assert.AreEqual(e[r], a[r], tolerance + (tolerance * Math.Abs(e[r])), $"{column} row {r}");
            }
        }

        foreach (string column in Outputs[..3])
        {
            float[][] e = MlNetData.Vectors(expected, column), a = MlNetData.Vectors(actual, column);
            for (int r = 0; r < e.Length; r++)
            {
                for (int i = 0; i < e[r].Length; i++)
                {
                    Assert.AreEqual(e[r][i], a[r][i], tolerance + (tolerance * Math.Abs(e[r][i])), $"{column} row {r} slot {i}");
                }
            }
        }

        CollectionAssert.AreEqual(expected.GetColumn<bool>("PredictedLabel").ToArray(), actual.GetColumn<bool>("PredictedLabel").ToArray());
    }
}
