using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Reports;
using Microsoft.ML.Vae.Tests.Reports;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class CliCommandTests
{
    [TestMethod]
    public void HelpDocumentsTheExitCodes()
    {
        (int code, string output, _) = new CliRunner().Run("--help");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "Exit codes: 0 ok, 1 usage error, 2 bad input");
        StringAssert.Contains(output, "export-onnx");
    }

    [TestMethod]
    [DataRow("train", "--input", "x.csv")]                                             // --model missing
    [DataRow("score", "--model", "m.vae", "--input", "x.csv", "--output", "o.csv", "--bogus")]
    [DataRow("train", "--input", "x.csv", "--model", "m.vae", "--loss", "hinge")]
    [DataRow("train", "--input", "x.csv", "--model", "m.vae", "--hidden-layers", "64,-1")]
    [DataRow("train", "--input", "x.csv", "--model", "m.vae", "--bad-rows", "ignore")]
    [DataRow("nope")]
    public void BadCommandLinesExitWithUsage(params string[] args)
    {
        (int code, _, string error) = new CliRunner().Run(args);
        Assert.AreEqual(1, code);
        Assert.IsFalse(string.IsNullOrWhiteSpace(error));
    }

    [TestMethod]
    public void OutOfRangeOptionsAndConflictingFlagsExitWithUsage()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        (int code, _, string error) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--epochs", "0");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--epochs must be at least 1");

        (code, _, error) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--features", "a", "--exclude", "id");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--features and --exclude");

        (code, _, _) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--delimiter", "colon");
        Assert.AreEqual(1, code);
        Assert.IsFalse(File.Exists(cli.PathOf("m.vae")));
    }

    /// <summary>This vae carries no TorchSharp engine (the TorchSharp tests run one that does).</summary>
    [TestMethod]
    public void TheTorchSharpEngineNeedsAVaeBuiltWithIt()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        (int code, _, string error) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--engine", "torchsharp");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--engine torchsharp needs a vae built with the TorchSharp engine: dotnet build Microsoft.ML.Vae.Cli -p:VaeTorchSharp=cpu");

        (code, _, error) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--device", "cuda");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--device cuda needs --engine torchsharp");
        Assert.IsFalse(File.Exists(cli.PathOf("m.vae")));
    }

    [TestMethod]
    public void TrainPrintsSummaryAndStoresFeatureNames()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.PathOf("model.vae");
        (int code, string output, _) = cli.Run("train", "--input", data, "--model", model, "--exclude", "id,label", "--hidden-layers", "8",
            "--latent-dimension", "3", "--epochs", "3", "--loss", "squared-error", "--scaling", "standard", "--batch-size", "16",
            "--learning-rate", "0.01", "--beta", "0.5", "--kl-warmup-epochs", "1", "--validation-fraction", "0.2", "--early-stopping-patience", "2",
            "--gradient-clip-norm", "5", "--contamination", "0.05", "--seed", "3", "--threads", "1", "--quiet");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "Training summary");
        StringAssert.Contains(output, "3 -> 8 -> 3 (latent) -> 8 -> 3");

        VaeTransformer loaded = VaeTransformer.Load(model);
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, loaded.FeatureNames!.ToArray());
        Assert.AreEqual(0.05f, loaded.Options.Contamination);
        Assert.AreEqual(FeatureScaling.Standard, loaded.Options.Scaling);
        Assert.AreEqual(0.5f, loaded.Options.Beta);
        Assert.AreEqual(16, loaded.Options.BatchSize);
        Assert.AreEqual(160, loaded.TrainingSummary.TrainingRowCount, "200 rows less the 20% validation split");
    }

    [TestMethod]
    public void TrainOnNonNumericValueFailsWithLineAndColumnAndWritesNoModel()
    {
        var cli = new CliRunner();
        string data = cli.WriteFile("bad.csv", "id,a,b\n1,0.1,0.2\n2,0.3,oops\n3,0.5,0.6\n");
        (int code, _, string error) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--exclude", "id");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "bad.csv, line 3, column 'b' (#3)");
        Assert.IsFalse(File.Exists(cli.PathOf("m.vae")));
        Assert.HasCount(1, Directory.GetFiles(cli.Directory));
    }

    [TestMethod]
    public void TrainSkipsBadRowsWhenAsked()
    {
        var cli = new CliRunner();
        string data = cli.WriteFile("bad.csv", "id,a,b\n1,0.1,0.2\n2,,0.3\n3,0.5,0.6\n4,0.7,x\n5,0.9,1\n");
        (int code, string output, string error) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--exclude", "id",
            "--bad-rows", "skip", "--hidden-layers", "4", "--epochs", "1");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "skipped 2 bad row(s)");
        StringAssert.Contains(error, "line(s) 3, 5");
        StringAssert.Contains(output, "3 (2)");
    }

    [TestMethod]
    public void TrainOnMissingOrHeaderOnlyInputIsBadInput()
    {
        var cli = new CliRunner();
        (int code, _, string error) = cli.Run("train", "--input", cli.PathOf("none.csv"), "--model", cli.PathOf("m.vae"));
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "not found");

        string header = cli.WriteFile("h.csv", "a,b\n");
        (code, _, error) = cli.Run("train", "--input", header, "--model", cli.PathOf("m.vae"));
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "no data rows");
    }

    [TestMethod]
    public void ScoreMatchesTheInMemoryModelAndKeepsKeys()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        string output = cli.PathOf("scores.csv");
        (int code, _, string error) = cli.Run("score", "--model", model, "--input", data, "--output", output, "--keep", "id", "--block-rows", "7");
        Assert.AreEqual(0, code, error);

        string[] lines = File.ReadAllLines(output);
        Assert.AreEqual("id,Score,PredictedLabel,ReconstructionError,LatentMean_0,LatentMean_1", lines[0]);
        Assert.HasCount(201, lines);

        VaeTransformer vae = VaeTransformer.Load(model);
        float[][] rows = [.. File.ReadLines(data).Skip(1).Select(l => l.Split(',')[1..4].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        VaePrediction[] expected = vae.Transform(rows);
        for (int i = 0; i < rows.Length; i++)
        {
            string[] fields = lines[i + 1].Split(',');
            Assert.AreEqual($"row{i}", fields[0]);
            Assert.AreEqual(expected[i].Score, float.Parse(fields[1], CultureInfo.InvariantCulture), 1e-5f * Math.Max(1, expected[i].Score));
            Assert.AreEqual(expected[i].PredictedLabel, bool.Parse(fields[2]));
            Assert.AreEqual(expected[i].LatentMean[1], float.Parse(fields[5], CultureInfo.InvariantCulture), 1e-5f);
        }
    }

    [TestMethod]
    public void ScoreTopFeaturesNamesTheOutlyingColumn()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data, "model.vae", "--loss", "squared-error", "--scaling", "minmax", "--epochs", "30", "--learning-rate", "0.01");
        string probe = cli.WriteFile("probe.csv", "a,b,c\n0.5,1.0,9\n");
        string output = cli.PathOf("top.csv");
        (int code, _, string error) = cli.Run("score", "--model", model, "--input", probe, "--output", output, "--top-features", "2");
        Assert.AreEqual(0, code, error);
        string[] lines = File.ReadAllLines(output);
        StringAssert.EndsWith(lines[0], "TopFeature_1,TopFeatureError_1,TopFeature_2,TopFeatureError_2");
        string[] fields = lines[1].Split(',');
        Assert.AreEqual("c", fields[^4]);
        Assert.IsGreaterThanOrEqualTo(float.Parse(fields[^1], CultureInfo.InvariantCulture), float.Parse(fields[^3], CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void ScoreReadsSemicolonGzipInputAndWritesGzip()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        string plain = cli.WriteFile("in.csv", "label;c;\"id\";b;a\n0;0.05;\"x;1\";1.0;0.5\n");
        string gz = cli.PathOf("in.csv.gz");
        using (var file = File.Create(gz))
        using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(File.ReadAllBytes(plain));
        }

        string output = cli.PathOf("out.csv.gz");
        (int code, _, string error) = cli.Run("score", "-m", model, "-i", gz, "-o", output, "--keep", "id");
        Assert.AreEqual(0, code, error);
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(output), System.IO.Compression.CompressionMode.Decompress));
        string[] lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        StringAssert.StartsWith(lines[1], "x;1,", "the key is unquoted in the comma-separated output");
    }

    [TestMethod]
    public void ScoreFailureLeavesNoPartialOutput()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        var text = new System.Text.StringBuilder("a,b,c\n");
        for (int i = 0; i < 100; i++)
        {
            text.Append("0.1,0.2,0.3\n");
        }

        string data = cli.WriteFile("late-bad.csv", text.Append("0.1,NaN,0.3\n").ToString());
        string output = cli.PathOf("scores.csv");
        (int code, _, string error) = cli.Run("score", "--model", model, "--input", data, "--output", output, "--block-rows", "10");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "line 102, column 'b' (#2)");
        Assert.IsFalse(File.Exists(output));
        Assert.IsEmpty(Directory.GetFiles(cli.Directory, "*.tmp"));
    }

    [TestMethod]
    public void ScoreNeedsTheModelsFeatureColumns()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        string data = cli.WriteFile("x.csv", "a,b\n1,2\n");
        (int code, _, string error) = cli.Run("score", "--model", model, "--input", data, "--output", cli.PathOf("o.csv"));
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "the model's feature list names column 'c'");

        (code, _, error) = cli.Run("score", "--model", model, "--input", data, "--output", cli.PathOf("o.csv"), "--features", "a,b");
        Assert.AreEqual(3, code);
        StringAssert.Contains(error, "takes 3 features");
    }

    [TestMethod]
    public void MissingOrCorruptModelIsAModelError()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        (int code, _, string error) = cli.Run("score", "--model", cli.PathOf("none.vae"), "--input", data, "--output", cli.PathOf("o.csv"));
        Assert.AreEqual(3, code);
        StringAssert.Contains(error, "not found");

        string corrupt = cli.WriteFile("corrupt.vae", "this is not a model");
        foreach (string[] args in new[]
        {
            new[] { "inspect", "--model", corrupt },
            ["evaluate", "--model", corrupt, "--input", data, "--label", "label"],
            ["report", "--model", corrupt, "--output", cli.PathOf("r.html")],
            ["export-onnx", "--model", corrupt, "--output", cli.PathOf("m.onnx")],
        })
        {
            (code, _, error) = cli.Run(args);
            Assert.AreEqual(3, code, args[0]);
            StringAssert.Contains(error, "corrupt.vae", args[0]);
        }

        Assert.IsFalse(File.Exists(cli.PathOf("r.html")));
    }

    [TestMethod]
    public void EvaluateReportsMetricsAsTableAndJson()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data, "model.vae", "--loss", "squared-error", "--scaling", "minmax", "--epochs", "20", "--learning-rate", "0.01");
        (int code, string output, string error) = cli.Run("evaluate", "--model", model, "--input", data, "--label", "label", "--exclude", "id");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "ROC-AUC");
        StringAssert.Contains(output, "Detection rate at 10 false positives");

        (code, output, _) = cli.Run("evaluate", "--model", model, "--input", data, "--label", "label", "--json", "--false-positives", "2");
        Assert.AreEqual(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.AreEqual(8, json.RootElement.GetProperty("AnomalyCount").GetInt64());
        Assert.AreEqual(2, json.RootElement.GetProperty("FalsePositiveCount").GetInt32());
        Assert.IsGreaterThan(0.9, json.RootElement.GetProperty("AreaUnderRocCurve").GetDouble());
        Assert.IsGreaterThan(0.0, json.RootElement.GetProperty("AreaUnderPrecisionRecallCurve").GetDouble());

        (code, _, string usage) = cli.Run("evaluate", "--model", model, "--input", data, "--label", "label", "--false-positives", "0");
        Assert.AreEqual(1, code);
        StringAssert.Contains(usage, "--false-positives must be 1 or more");
    }

    [TestMethod]
    public void EvaluateNeedsAUsableLabel()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        (int code, _, string error) = cli.Run("evaluate", "--model", model, "--input", data, "--label", "missing");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "--label names column 'missing'");

        string oneClass = cli.WriteFile("one.csv", "a,b,c,label\n1,2,0,0\n0.5,1,0,0\n");
        (code, _, error) = cli.Run("evaluate", "--model", model, "--input", oneClass, "--label", "label");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "both anomalies and normal rows");

        string badLabel = cli.WriteFile("bl.csv", "a,b,c,label\n1,2,0,maybe\n");
        (code, _, error) = cli.Run("evaluate", "--model", model, "--input", badLabel, "--label", "label");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "line 2, column 'label'");
    }

    [TestMethod]
    public void InspectShowsArchitectureOptionsAndThreshold()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        (int code, string output, _) = cli.Run("inspect", "--model", model);
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "3 -> 8 -> 2 (latent) -> 8 -> 3");
        StringAssert.Contains(output, "--contamination");
        StringAssert.Contains(output, "a, b, c");

        (code, output, _) = cli.Run("inspect", "--model", model, "--json");
        Assert.AreEqual(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.AreEqual(VaeTransformer.Load(model).Threshold, json.RootElement.GetProperty("Threshold").GetSingle());
        Assert.AreEqual("8", json.RootElement.GetProperty("Options").GetProperty("hidden-layers").GetString());
    }

    [TestMethod]
    public void ReportWritesHtmlWithChartsAndThreshold()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.Train(data);
        string report = cli.PathOf("report.html");
        (int code, _, string error) = cli.Run("report", "--model", model, "--input", data, "--output", report);
        Assert.AreEqual(0, code, error);
        string html = File.ReadAllText(report);
        StringAssert.StartsWith(html, "<!DOCTYPE html>");
        var charts = Regex.Matches(html, "<img alt=\"[^\"]+\" width=\"\\d+\" height=\"\\d+\" src=\"data:image/png;base64,([^\"]+)\"");
        Assert.HasCount(3, charts, "loss curves, histogram, scatter");
        foreach (Match chart in charts)
        {
            var picture = DecodedPicture.Decode(Convert.FromBase64String(chart.Groups[1].Value));
            Assert.AreEqual((Chart.Width, Chart.Height), (picture.Width, picture.Height));
        }

        StringAssert.Contains(html, "threshold");
        StringAssert.Contains(html, "A uniform sample of 200 of the 200 rows");
        Assert.IsLessThan(html.IndexOf("<img", StringComparison.Ordinal), html.IndexOf("Key numbers", StringComparison.Ordinal), "key numbers first");

        (code, _, _) = cli.Run("report", "--model", model, "--output", report);
        Assert.AreEqual(0, code);
        Assert.AreEqual(1, Regex.Matches(File.ReadAllText(report), "<img alt=").Count);
    }

    [TestMethod]
    public void ExportOnnxWritesTheModelsGraph()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        string onnx = cli.PathOf("model.onnx");
        (int code, string output, string error) = cli.Run("export-onnx", "--model", model, "--output", onnx);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "model.onnx");
        using var expected = new MemoryStream();
        VaeTransformer.Load(model).ExportOnnx(expected);
        CollectionAssert.AreEqual(expected.ToArray(), File.ReadAllBytes(onnx));

        (code, _, _) = cli.Run("export-onnx", "--model", model, "--output", cli.PathOf("missing-dir/model.onnx"));
        Assert.AreEqual(2, code);
    }

    [TestMethod]
    public void DelimiterOptionOverridesDetection()
    {
        var cli = new CliRunner();
        // The header has more commas than semicolons, but the data is semicolon-separated with decimal points.
        string data = cli.WriteFile("d.csv", "\"a,x\";\"b,y\"\n1;2\n3;4\n");
        (int code, string output, string error) = cli.Run("train", "--input", data, "--model", cli.PathOf("m.vae"), "--delimiter", "semicolon",
            "--hidden-layers", "none", "--epochs", "1", "--latent-dimension", "1");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "a,x, b,y");
        Assert.AreEqual(';', DelimiterOption.Parse("semicolon"));
    }
}
