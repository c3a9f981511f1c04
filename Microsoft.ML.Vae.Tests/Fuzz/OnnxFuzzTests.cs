namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// Mutated ONNX files given to <see cref="OnnxVaeScorer"/> through its public API: each ends in a scorer that scores
/// (or refuses the rows with a documented exception) or in an <see cref="OnnxRuntimeException"/>, within the time and
/// memory limits (memory measured as the process's resident peak, since the runtime allocates natively).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class OnnxFuzzTests
{
    private const int Seed = 31;
    private const int MutatedInputs = 2000;

    public TestContext TestContext { get; set; } = null!;

    private static byte[] OnnxBytes(VaeTransformer model)
    {
        using var stream = new MemoryStream();
        model.ExportOnnx(stream);
        return stream.ToArray();
    }

    /// <summary>Opens a scorer on <paramref name="bytes"/> and, when it opens, scores four rows of its width.</summary>
    private static string Score(byte[] bytes)
    {
        OnnxVaeScorer scorer;
        try
        {
            scorer = new OnnxVaeScorer(bytes, threadCount: 1);
        }
        catch (OnnxRuntimeException)
        {
            return "refused: " + nameof(OnnxRuntimeException);
        }

        using (scorer)
        {
            if (scorer.FeatureCount is < 1 or > 1 << 16 || scorer.LatentDimension is < 1 or > 1 << 16)
            {
                return "opened with implausible sizes"; // not allowed: the scorer checks its contract
            }

            try
            {
                _ = scorer.Score([.. Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, scorer.FeatureCount).Select(c => (float)((r + c) % 3) / 3).ToArray())]);
                return "opened and scored";
            }
            catch (Exception e) when (e is OnnxRuntimeException or ArgumentException)
            {
                return "opened, rows refused: " + e.GetType().Name;
            }
        }
    }

    private static bool Allowed(string outcome) => outcome is "opened and scored" || outcome.StartsWith("refused: ", StringComparison.Ordinal)
        || outcome.StartsWith("opened, rows refused: ", StringComparison.Ordinal);

    [TestMethod]
    public void MutatedOnnxFilesOpenAndScoreOrFailWithTheDocumentedException()
    {
        byte[][] valid = [OnnxBytes(TestModels.Small), OnnxBytes(new VaeEstimator(new VaeOptions { HiddenLayers = [], LatentDimension = 1, Epochs = 1, Seed = 2, ThreadCount = 1 }).Fit(SyntheticData.Manifold(30, 3, seed: 5)))];
        var campaign = new FuzzCampaign("ONNX files", Allowed);
        var mutator = new Mutator(Seed);
        foreach ((byte[] bytes, string what) in Mutator.OtherFormats())
        {
            campaign.Run(what, () => Score(bytes));
        }

        campaign.Run("8 MB of random bytes", () => Score(mutator.Bytes(8 << 20)));
        for (int i = 0; i < MutatedInputs; i++)
        {
            (byte[] bytes, string what) = mutator.Mutate(valid[i % valid.Length]);
            campaign.Run($"input {i}: {what}", () => Score(bytes));
        }

        TestContext.WriteLine(campaign.ToString());
        Assert.IsGreaterThan(2000, campaign.Count);
    }
}
