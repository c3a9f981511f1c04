using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Tests;
using Microsoft.ML.Vae.Training;
using TorchSharp;

namespace Microsoft.ML.Vae.TorchSharp.Tests;

/// <summary>The TorchSharp engine computes what the managed engine computes, from the same weights on the same batches.</summary>
[TestClass]
public sealed class ParityTests
{
    [TestMethod]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.MinMax)]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy, FeatureScaling.None)]
    [DataRow(ReconstructionLoss.SquaredError, FeatureScaling.Standard)]
    [DataRow(ReconstructionLoss.SquaredError, FeatureScaling.None)]
    public void StepsGiveTheSameLossesAndParameters(ReconstructionLoss loss, FeatureScaling scaling)
    {
        float[][] rows = SyntheticData.Manifold(96, 12, seed: 1);
        VaeOptions options = TrainingRequests.Options(loss) with { Scaling = scaling, KlWarmupEpochs = 2 };
        VaeTrainingRequest request = TrainingRequests.Create(rows, options);
        using var managed = new ManagedTrainingBackend(request);
        using var torchSharp = new TorchSharpBackend(request, torch.CPU);
        var managedNoise = new DeterministicRandom(3);
        var torchNoise = new DeterministicRandom(3);
        int[] batch = [.. Enumerable.Range(0, 32).Select(i => (i * 7) % rows.Length)];

        // The first step alone moves every parameter by about the learning rate times the gradient's sign; the next
        // ones depend on the gradients' sizes too. The KL weight changes from step to step, as in a warm-up.
        for (int step = 1; step <= 3; step++)
        {
            float klWeight = 0.4f * step;
            (BatchLoss expected, float expectedNorm) = managed.Step(batch, managedNoise, klWeight);
            (BatchLoss actual, float actualNorm) = torchSharp.Step(batch, torchNoise, klWeight);
            AssertClose(expected.Total, actual.Total, $"step {step} loss");
            AssertClose(expected.Reconstruction, actual.Reconstruction, $"step {step} reconstruction");
            AssertClose(expected.Kl, actual.Kl, $"step {step} KL");
            AssertClose(expectedNorm, actualNorm, $"step {step} gradient norm");
            AssertClose(managed.Parameters(best: false), torchSharp.Parameters(best: false), $"step {step} parameters");
        }
    }

    [TestMethod]
    public void ClippedStepsGiveTheSameParameters()
    {
        float[][] rows = SyntheticData.Manifold(64, 10, seed: 2);
        VaeTrainingRequest request = TrainingRequests.Create(rows, TrainingRequests.Options() with { GradientClipNorm = 0.05f });
        using var managed = new ManagedTrainingBackend(request);
        using var torchSharp = new TorchSharpBackend(request, torch.CPU);
        var managedNoise = new DeterministicRandom(4);
        var torchNoise = new DeterministicRandom(4);
        int[] batch = [.. Enumerable.Range(0, 32)];
        for (int step = 1; step <= 3; step++)
        {
            (_, float norm) = managed.Step(batch, managedNoise, 1f);
            torchSharp.Step(batch, torchNoise, 1f);
            Assert.IsGreaterThan(0.05f, norm, "the test clips");
            AssertClose(managed.Parameters(best: false), torchSharp.Parameters(best: false), $"step {step} parameters");
        }
    }

    [TestMethod]
    public void ValidationLossesAgree()
    {
        float[][] rows = SyntheticData.Manifold(80, 10, seed: 3);
        VaeTrainingRequest request = TrainingRequests.Create(rows, TrainingRequests.Options() with { ValidationFraction = 0.5f, Beta = 2f });
        using var managed = new ManagedTrainingBackend(request);
        using var torchSharp = new TorchSharpBackend(request, torch.CPU);
        AssertClose(managed.ValidationLoss(), torchSharp.ValidationLoss(), "validation loss");
    }

    /// <summary>
    /// Whole trainings through the estimator (shuffled epochs, validation, early stopping with the best weights restored)
    /// stay together: float rounding differs between the engines, and Adam carries it from step to step.
    /// </summary>
    [TestMethod]
    [DataRow(ReconstructionLoss.BinaryCrossEntropy)]
    [DataRow(ReconstructionLoss.SquaredError)]
    public void TrainingsEndAlike(ReconstructionLoss loss)
    {
        float[][] rows = SyntheticData.Manifold(400, 16, seed: 4);
        float[][] test = SyntheticData.Manifold(200, 16, seed: 5);
        VaeOptions options = TrainingRequests.Options(loss) with { Epochs = 6, ValidationFraction = 0.2f, EarlyStoppingPatience = 2, KlWarmupEpochs = 2 };
        VaeTransformer managed = new VaeEstimator(options).Fit(rows);
        VaeTransformer torchSharp = new VaeEstimator(options with { TrainingEngine = new TorchSharpTrainingEngine() }).Fit(rows);

        VaeTrainingSummary expected = managed.TrainingSummary, actual = torchSharp.TrainingSummary;
        Assert.AreEqual(expected.EpochsRun, actual.EpochsRun);
        Assert.AreEqual(expected.BestEpoch, actual.BestEpoch);
        for (int e = 0; e < expected.History.Count; e++)
        {
            AssertClose(expected.History[e].Loss, actual.History[e].Loss, $"epoch {e + 1} loss");
            AssertClose(expected.History[e].ValidationLoss, actual.History[e].ValidationLoss, $"epoch {e + 1} validation loss");
            Assert.AreEqual(expected.History[e].KlWeight, actual.History[e].KlWeight);
        }

        double managedElbo = managed.Evaluate(test).NegativeElbo, torchSharpElbo = torchSharp.Evaluate(test).NegativeElbo;
        Assert.AreEqual(managedElbo, torchSharpElbo, 1e-3 * Math.Abs(managedElbo), "test negative ELBO");
        AssertClose(managed.Network.Parameters, torchSharp.Network.Parameters, "parameters", 1e-3);
    }

    private static void AssertClose(double expected, double actual, string what, double relative = 1e-4)
    {
        double tolerance = relative * Math.Max(Math.Abs(expected), 1e-3);
        Assert.IsLessThanOrEqualTo(tolerance, Math.Abs(expected - actual), $"{what}: managed {expected:R}, TorchSharp {actual:R}");
    }

    /// <summary>Every parameter within <paramref name="relative"/> of the larger of its size and the learning rate's scale.</summary>
    private static void AssertClose(float[] expected, float[] actual, string what, double relative = 1e-4)
    {
        Assert.HasCount(expected.Length, actual);
        int worst = 0;
        double worstRatio = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double ratio = Math.Abs(expected[i] - actual[i]) / Math.Max(Math.Abs(expected[i]), 1e-3);
            if (ratio > worstRatio)
            {
                (worst, worstRatio) = (i, ratio);
            }
        }

        Assert.IsLessThanOrEqualTo(relative, worstRatio, $"{what}: parameter {worst} is {expected[worst]:R} managed, {actual[worst]:R} TorchSharp");
    }
}
