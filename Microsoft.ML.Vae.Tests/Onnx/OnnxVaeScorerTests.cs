using System.Reflection;
using Microsoft.ML.Vae.Onnx;
using InferenceSession = Microsoft.ML.OnnxRuntime.InferenceSession;
using OrtEnv = Microsoft.ML.OnnxRuntime.OrtEnv;

namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary><see cref="OnnxVaeScorer"/> on a hand-built graph, independent of the VAE core.</summary>
[TestClass]
public sealed class OnnxVaeScorerTests
{
    [TestMethod]
    public void RunsThePackagesOwnNativeRuntime()
    {
        // A stray libonnxruntime of another version (next to the app, or on the loader's path) would show here.
        string managed = typeof(InferenceSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        string native = OrtEnv.Instance().GetVersionString();
        Assert.AreEqual(managed.Split('+')[0], native);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(1000)]
    public void TinyGraphMatchesHandComputation(int rows)
    {
        float[] x = Rows(rows, seed: rows);
        using var scorer = new OnnxVaeScorer(TinyVaeGraph.Build());
        var (mean, logVariance, reconstruction, error, score, label) = Score(scorer, x, rows);

        int positives = 0;
        for (int r = 0; r < rows; r++)
        {
            var expected = TinyVaeGraph.Reference(x.AsSpan(r * TinyVaeGraph.Features, TinyVaeGraph.Features));
            for (int j = 0; j < TinyVaeGraph.Latent; j++)
            {
                OnnxAssert.Close(expected.Mean[j], mean[(r * TinyVaeGraph.Latent) + j], $"LatentMean[{r},{j}]");
                OnnxAssert.Close(expected.LogVariance[j], logVariance[(r * TinyVaeGraph.Latent) + j], $"LatentLogVariance[{r},{j}]");
            }

            for (int c = 0; c < TinyVaeGraph.Features; c++)
            {
                OnnxAssert.Close(expected.Reconstruction[c], reconstruction[(r * TinyVaeGraph.Features) + c], $"Reconstruction[{r},{c}]");
            }

            OnnxAssert.Close(expected.Error, error[r], $"ReconstructionError[{r}]");
            Assert.AreEqual(error[r], score[r], $"Score[{r}] equals the reconstruction error");
            Assert.AreEqual(score[r] > TinyVaeGraph.Threshold, label[r], $"PredictedLabel[{r}]");
            positives += label[r] ? 1 : 0;
        }

        if (rows == 1000)
        {
            Assert.IsTrue(positives is > 0 and < 1000, $"the threshold splits the rows ({positives} anomalies)");
        }
    }

    [TestMethod]
    public void ReadsShapesAndMetadata()
    {
        using var scorer = new OnnxVaeScorer(TinyVaeGraph.Build());
        Assert.AreEqual(TinyVaeGraph.Features, scorer.FeatureCount);
        Assert.AreEqual(TinyVaeGraph.Latent, scorer.LatentDimension);
        Assert.AreEqual(TinyVaeGraph.Threshold, scorer.Threshold);
        Assert.AreEqual("3", scorer.Metadata[OnnxContract.FeatureCountKey]);
    }

    [TestMethod]
    public void SkippedOutputsAreNotWritten()
    {
        float[] x = Rows(4, seed: 3);
        using var scorer = new OnnxVaeScorer(TinyVaeGraph.Build());
        var score = new float[4];
        scorer.Score(x, [], [], [], [], score, []);
        var full = Score(scorer, x, 4);
        CollectionAssert.AreEqual(full.Score, score);
    }

    [TestMethod]
    public void ScoresFromManyThreadsAtOnce()
    {
        float[] x = Rows(64, seed: 5);
        using var scorer = new OnnxVaeScorer(TinyVaeGraph.Build(), threadCount: 1);
        float[] expected = Score(scorer, x, 64).Score;
        var results = new float[8][];
        Parallel.For(0, 8, t =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                results[t] = Score(scorer, x, 64).Score;
            }
        });
        foreach (float[] result in results)
        {
            CollectionAssert.AreEqual(expected, result);
        }
    }

    [TestMethod]
    public void LoadsFromAFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaeml-tiny-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, TinyVaeGraph.Build());
        try
        {
            using var scorer = new OnnxVaeScorer(path);
            Assert.AreEqual(TinyVaeGraph.Features, scorer.FeatureCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ANonOnnxFileGivesTheRuntimesError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaeml-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is a CSV file,\nnot,an,ONNX,model\n");
        try
        {
            var e = Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer(path));
            Assert.AreEqual(OnnxRuntimeErrorCode.InvalidProtobuf, e.ErrorCode);
            StringAssert.StartsWith(e.Message, $"ONNX Runtime could not load '{path}': ");
            StringAssert.Contains(e.Message, "Protobuf parsing failed");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AMissingFileIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaeml-missing-{Guid.NewGuid():N}.onnx");
        var e = Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer(path));
        Assert.AreEqual(OnnxRuntimeErrorCode.NoSuchFile, e.ErrorCode);
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void AModelWithoutTheContractIsRejected()
    {
        var e = Assert.ThrowsExactly<OnnxRuntimeException>(() => new OnnxVaeScorer(TinyVaeGraph.Build(inputName: "X")));
        Assert.AreEqual(OnnxRuntimeErrorCode.None, e.ErrorCode);
        StringAssert.Contains(e.Message, "'Features'");
    }

    [TestMethod]
    public void BadInputIsRejectedBeforeTheRuntimeSeesIt()
    {
        using var scorer = new OnnxVaeScorer(TinyVaeGraph.Build());
        var score = new float[2];
        var ragged = Assert.ThrowsExactly<ArgumentException>(() => scorer.Score(new float[5], [], [], [], [], score, []));
        StringAssert.Contains(ragged.Message, "whole rows of 3");
        var shortBuffer = Assert.ThrowsExactly<ArgumentException>(() => scorer.Score(new float[6], [], [], [], [], new float[1], []));
        Assert.AreEqual("score", shortBuffer.ParamName);
        float[] x = [0, 0, 0, 0, float.NaN, 0];
        var nan = Assert.ThrowsExactly<ArgumentException>(() => scorer.Score(x, [], [], [], [], score, []));
        StringAssert.Contains(nan.Message, "Row 1, column 1");
    }

    [TestMethod]
    public void ARuntimeFailureWhileScoringCarriesTheRuntimesMessage()
    {
        // Loads (the declared shapes satisfy the contract), but the graph writes 2 columns where the caller's buffer holds 3.
        using var scorer = new OnnxVaeScorer(TinyVaeGraph.Build(narrowReconstruction: true));
        float[] x = Rows(2, seed: 1);
        var e = Assert.ThrowsExactly<OnnxRuntimeException>(() => Score(scorer, x, 2));
        Assert.AreNotEqual(OnnxRuntimeErrorCode.None, e.ErrorCode);
        StringAssert.StartsWith(e.Message, "ONNX Runtime failed to run the model: ");
        StringAssert.Contains(e.Message, "Reconstruction");
        Assert.DoesNotContain("[ErrorCode:", e.Message);

        var latentOnly = new float[2 * TinyVaeGraph.Latent];
        scorer.Score(x, latentOnly, [], [], [], [], []);
        Assert.AreEqual(TinyVaeGraph.Reference(x.AsSpan(0, TinyVaeGraph.Features)).Mean[0], latentOnly[0], 1e-6, "the scorer still works after a failed run");
    }

    [TestMethod]
    [DataRow("[ErrorCode:InvalidProtobuf] Load model failed:Protobuf parsing failed.", OnnxRuntimeErrorCode.InvalidProtobuf, "Load model failed:Protobuf parsing failed.")]
    [DataRow("[ErrorCode:NoSuchFile] Load model from x failed. File doesn't exist", OnnxRuntimeErrorCode.NoSuchFile, "Load model from x failed. File doesn't exist")]
    [DataRow("[ErrorCode:ShapeInferenceNotRegistered] EP failed", OnnxRuntimeErrorCode.ExecutionProviderFail, "EP failed")]
    [DataRow("[ErrorCode:SomethingNew] later code", OnnxRuntimeErrorCode.Fail, "later code")]
    [DataRow("[ErrorCode:Ok] odd", OnnxRuntimeErrorCode.Fail, "odd")]
    [DataRow("no prefix at all", OnnxRuntimeErrorCode.Fail, "no prefix at all")]
    public void ThePackagesErrorCodeIsReadFromItsMessage(string message, OnnxRuntimeErrorCode code, string text)
    {
        (OnnxRuntimeErrorCode actualCode, string actualText) = OnnxRuntimeErrors.Split(message);
        Assert.AreEqual(code, actualCode);
        Assert.AreEqual(text, actualText);
    }

    internal static float[] Rows(int rows, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * TinyVaeGraph.Features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        return x;
    }

    internal static (float[] Mean, float[] LogVariance, float[] Reconstruction, float[] Error, float[] Score, bool[] Label) Score(OnnxVaeScorer scorer, float[] x, int rows)
    {
        var mean = new float[rows * scorer.LatentDimension];
        var logVariance = new float[rows * scorer.LatentDimension];
        var reconstruction = new float[rows * scorer.FeatureCount];
        var error = new float[rows];
        var score = new float[rows];
        var label = new bool[rows];
        scorer.Score(x, mean, logVariance, reconstruction, error, score, label);
        return (mean, logVariance, reconstruction, error, score, label);
    }
}
