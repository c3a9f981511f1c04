using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Vae.Tests.Data;

namespace Microsoft.ML.Vae.Tests.MlNet;

[TestClass]
public sealed class ModelSaveTests
{
    private static readonly string[] Outputs = ["LatentMean", "LatentLogVariance", "Reconstruction", "ReconstructionError", "Score", "PredictedLabel"];

    /// <summary>Concatenate -> Vae, fitted on the small rows and saved with <c>mlContext.Model.Save</c> in <paramref name="directory"/>.</summary>
    private static (IDataView Data, ITransformer Model, string Path) SavedPipeline(TempDirectory directory)
    {
        var ml = new MLContext(seed: 0);
        IDataView data = MlNetData.Columns(ml, TestModels.SmallRows);
        var model = ml.Transforms.Concatenate("Features", MlNetData.ColumnNames).Append(ml.Transforms.Vae(TestModels.Options())).Fit(data);
        string path = System.IO.Path.Combine(directory.Path, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        return (data, model, path);
    }

    [TestMethod]
    public void ModelSaveAndLoadGiveTheSameColumnsAndScores()
    {
        using var directory = new TempDirectory();
        (IDataView data, ITransformer model, string path) = SavedPipeline(directory);

        ITransformer loaded = new MLContext().Model.Load(path, out DataViewSchema inputSchema);
        Assert.AreEqual(data.Schema.ToString(), inputSchema.ToString());
        IDataView expected = model.Transform(data), actual = loaded.Transform(data);
        AssertSameOutputs(expected, actual, tolerance: 1e-5f);
    }

    /// <summary>
    /// The one-row ONNX graph behind the saved model computes the same Score as the library for every score kind and
    /// loss, with one network or an ensemble.
    /// </summary>
    [TestMethod]
    [DataRow(ScoreKind.NegativeElbo, ReconstructionLoss.Gaussian, 1)]
    [DataRow(ScoreKind.NegativeElbo, ReconstructionLoss.BinaryCrossEntropy, 1)]
    [DataRow(ScoreKind.ReconstructionError, ReconstructionLoss.Gaussian, 1)]
    [DataRow(ScoreKind.ReconstructionError, ReconstructionLoss.Gaussian, 3)]
    public void SavedModelsScoreTheSameForEveryScoreKind(ScoreKind kind, ReconstructionLoss loss, int ensembleSize)
    {
        using var directory = new TempDirectory();
        var ml = new MLContext(seed: 0);
        IDataView data = MlNetData.Columns(ml, TestModels.SmallRows);
        VaeOptions options = TestModels.Options() with { ScoreKind = kind, ReconstructionLoss = loss, Scaling = FeatureScaling.MinMax, EnsembleSize = ensembleSize };
        var model = ml.Transforms.Concatenate("Features", MlNetData.ColumnNames).Append(ml.Transforms.Vae(options)).Fit(data);
        string path = System.IO.Path.Combine(directory.Path, "model.zip");
        ml.Model.Save(model, data.Schema, path);

        ITransformer loaded = new MLContext().Model.Load(path, out _);
        AssertSameOutputs(model.Transform(data), loaded.Transform(data), tolerance: 1e-4f);
    }

    [TestMethod]
    public void AFreshProcessLoadsTheModelAndScoresTheSame()
    {
        using var directory = new TempDirectory();
        (IDataView data, ITransformer model, string modelPath) = SavedPipeline(directory);
        string dataPath = directory.Write("data.tsv", System.Text.Encoding.UTF8.GetBytes(string.Join("\n", TestModels.SmallRows.Select((r, i) =>
            string.Join('\t', new[] { i.ToString(CultureInfo.InvariantCulture) }.Concat(r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(i % 50 == 0 ? "1" : "0"))))));
        string outputPath = System.IO.Path.Combine(directory.Path, "scored.tsv");

        (int exitCode, string error) = RunFreshProcess(modelPath, dataPath, outputPath);
        Assert.AreEqual(0, exitCode, error);

        string[] lines = File.ReadAllLines(outputPath);
        int blank = Array.IndexOf(lines, string.Empty);
        IDataView scored = model.Transform(data);
        CollectionAssert.AreEquivalent(
            scored.Schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}\t{c.Type}").ToArray(), lines[..blank],
            $"the same column names and types; got {string.Join(", ", lines[..blank])}");

        VaePrediction[] expected = TestModels.Small.Transform(TestModels.SmallRows);
        Assert.AreEqual(expected.Length, lines.Length - blank - 1);
        for (int r = 0; r < expected.Length; r++)
        {
            float[] values = lines[blank + 1 + r].Split('\t').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            VaePrediction p = expected[r];
            float[] wanted = [p.ReconstructionError, p.Score, p.PredictedLabel ? 1 : 0, .. p.LatentMean, .. p.LatentLogVariance, .. p.Reconstruction];
            Assert.HasCount(wanted.Length, values);
            for (int i = 0; i < wanted.Length; i++)
            {
                Assert.AreEqual(wanted[i], values[i], 1e-5f + (1e-5f * Math.Abs(wanted[i])), $"row {r} value {i}");
            }
        }
    }

    [TestMethod]
    public void APipelineWithKMeansSavesAndLoads()
    {
        using var directory = new TempDirectory();
        var ml = new MLContext(seed: 0);
        IDataView data = MlNetData.Columns(ml, TestModels.SmallRows);
        var model = ml.Transforms.Concatenate("Features", MlNetData.ColumnNames)
            .Append(ml.Transforms.Vae(TestModels.Options() with { ScoreColumnName = "VaeScore", PredictedLabelColumnName = "VaeLabel" }))
            .Append(ml.Clustering.Trainers.KMeans("LatentMean", numberOfClusters: 3))
            .Fit(data);
        string path = System.IO.Path.Combine(directory.Path, "model.zip");
        ml.Model.Save(model, data.Schema, path);

        ITransformer loaded = new MLContext().Model.Load(path, out _);
        IDataView expected = model.Transform(data), actual = loaded.Transform(data);
        CollectionAssert.AreEqual(expected.GetColumn<uint>("PredictedLabel").ToArray(), actual.GetColumn<uint>("PredictedLabel").ToArray());
        float[] e = MlNetData.Singles(expected, "VaeScore"), a = MlNetData.Singles(actual, "VaeScore");
        for (int r = 0; r < e.Length; r++)
        {
            Assert.AreEqual(e[r], a[r], 1e-5f + (1e-5f * e[r]), $"row {r}");
        }
    }

    private static (int ExitCode, string Error) RunFreshProcess(params string[] arguments)
    {
        // The test binaries sit at Microsoft.ML.Vae.Tests/bin/<configuration>/<framework>/, the program's beside them.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        string program = System.IO.Path.Combine(
            output.Parent!.Parent!.Parent!.FullName, "FreshProcess", "bin", output.Parent.Name, output.Name, "FreshProcess.dll");
        Assert.IsTrue(File.Exists(program), $"{program} was not built");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(120_000), "the fresh process finished within two minutes");
        return (process.ExitCode, error.Result);
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
