namespace Microsoft.ML.Vae.Tests;

/// <summary>Small, fast models shared by tests (trained once per process and reused).</summary>
internal static class TestModels
{
    private static readonly Lazy<(VaeTransformer Model, float[][] Rows)> s_small = new(() =>
    {
        float[][] rows = SyntheticData.Manifold(400, 8, seed: 11);
        var model = new VaeEstimator(Options()).Fit(rows);
        return (model, rows);
    });

    public static VaeOptions Options(ReconstructionLoss loss = ReconstructionLoss.BinaryCrossEntropy) => new()
    {
        HiddenLayers = [16, 8],
        LatentDimension = 2,
        ReconstructionLoss = loss,
        Epochs = 8,
        BatchSize = 32,
        LearningRate = 3e-3f,
        Contamination = 0.05f,
        Seed = 5,
        ThreadCount = 1,
    };

    /// <summary>A BCE model trained for a few epochs on 400 manifold rows of 8 features.</summary>
    public static VaeTransformer Small => s_small.Value.Model;

    public static float[][] SmallRows => s_small.Value.Rows;
}
