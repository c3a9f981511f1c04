using Microsoft.ML.Vae.Onnx;

namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary>The ONNX Runtime binding on a hand-built graph, independent of the VAE core.</summary>
[TestClass]
public sealed class OrtBindingTests
{
    [TestMethod]
    public void LoadsTheFetchedRuntimeVersion() => Assert.AreEqual(OrtLibrary.Version, OrtApi.Instance.RuntimeVersion);

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
            StringAssert.Contains(e.Message, path);
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
    public void AMissingLibraryExplainsHowToGetIt()
    {
        var e = Assert.ThrowsExactly<OnnxRuntimeException>(() => OrtLibrary.Load("/nonexistent/libonnxruntime.so.1"));
        StringAssert.Contains(e.Message, OrtLibrary.PathVariable);
        StringAssert.Contains(e.Message, "eng/fetch-onnxruntime.sh");
        StringAssert.Contains(e.Message, "npm");
    }

    [TestMethod]
    public void AFileThatIsNotALibraryIsReported()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaeml-not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "not a shared library");
        try
        {
            var e = Assert.ThrowsExactly<OnnxRuntimeException>(() => OrtLibrary.Load(path));
            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "eng/fetch-onnxruntime.sh");
        }
        finally
        {
            File.Delete(path);
        }
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
