using System.Diagnostics;
using Microsoft.ML.Vae.Tests;

namespace Microsoft.ML.Vae.TorchSharp.Tests;

/// <summary>The engine behaves as the managed one does: progress, cancellation, divergence, seeds; and its devices.</summary>
[TestClass]
public sealed class EngineTests
{
    private static VaeOptions Options => TrainingRequests.Options() with { TrainingEngine = new TorchSharpTrainingEngine() };

    [TestMethod]
    public void EveryEpochIsReported()
    {
        var recorder = new ProgressRecorder();
        VaeTransformer model = new VaeEstimator(Options with { Epochs = 3, ValidationFraction = 0.2f }).Fit(SyntheticData.Manifold(200, 6, seed: 41), recorder);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, recorder.Reports.Select(r => r.Epoch).ToArray());
        Assert.IsTrue(recorder.Reports.All(r => r.SamplesPerSecond > 0 && float.IsFinite(r.Loss) && float.IsFinite(r.ValidationLoss)));
        CollectionAssert.AreEqual(recorder.Reports, model.TrainingSummary.History.ToList());
    }

    [TestMethod]
    public void TheGaussianDecoderAndInputNoiseAreRefusedWithAClearMessage()
    {
        float[][] rows = SyntheticData.Manifold(64, 6, seed: 46);
        var gaussian = Assert.ThrowsExactly<NotSupportedException>(() =>
            new VaeEstimator(Options with { ReconstructionLoss = ReconstructionLoss.Gaussian, Epochs = 1 }).Fit(rows));
        StringAssert.Contains(gaussian.Message, "ReconstructionLoss.Gaussian is not supported by the TorchSharp engine");
        StringAssert.Contains(gaussian.Message, "managed engine");
        var preset = Assert.ThrowsExactly<NotSupportedException>(() =>
            new VaeEstimator(VaeOptions.ForAnomalyDetection() with { TrainingEngine = new TorchSharpTrainingEngine() }).Fit(rows));
        StringAssert.Contains(preset.Message, "ReconstructionLoss.Gaussian");
        var noise = Assert.ThrowsExactly<NotSupportedException>(() =>
            new VaeEstimator(Options with { InputNoise = 0.1f, Epochs = 1 }).Fit(rows));
        StringAssert.Contains(noise.Message, "InputNoise");
    }

    [TestMethod]
    public void ACancelledTokenStopsBeforeTheNextBatch()
    {
        using var cancellation = new CancellationTokenSource();
        var recorder = new ProgressRecorder(_ => cancellation.Cancel());
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            new VaeEstimator(Options with { Epochs = 50 }).Fit(SyntheticData.Manifold(200, 6, seed: 42), recorder, cancellation.Token));
        Assert.HasCount(1, recorder.Reports);
    }

    [TestMethod]
    public void ADivergingLossThrowsVaeTrainingException()
    {
        VaeOptions options = Options with { ReconstructionLoss = ReconstructionLoss.SquaredError, Scaling = FeatureScaling.None, LearningRate = 1e6f, Epochs = 20 };
        float[][] rows = [.. SyntheticData.Manifold(128, 6, seed: 44).Select(r => r.Select(v => v * 1e18f).ToArray())];
        var e = Assert.ThrowsExactly<VaeTrainingException>(() => new VaeEstimator(options).Fit(rows));
        StringAssert.Contains(e.Message, "Training diverged");
        Assert.IsGreaterThanOrEqualTo(1, e.Epoch);
        Assert.IsGreaterThanOrEqualTo(1, e.Batch);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void TheSameSeedGivesTheSameParameters(int threads)
    {
        // Few, large steps: two libtorch threads crawl when the machine is busy (their OpenMP workers spin).
        float[][] rows = SyntheticData.Manifold(300, 12, seed: 45);
        VaeOptions options = Options with { ThreadCount = threads, Epochs = 2, BatchSize = 100, HiddenLayers = [64, 32] };
        float[] first = new VaeEstimator(options).Fit(rows).Network.Parameters;
        float[] second = new VaeEstimator(options).Fit(rows).Network.Parameters;
        CollectionAssert.AreEqual(first, second);
        float[] otherSeed = new VaeEstimator(options with { Seed = 6 }).Fit(rows).Network.Parameters;
        CollectionAssert.AreNotEqual(first, otherSeed);
    }

    [TestMethod]
    public void NativeMemoryDoesNotGrowOverManyTrainings()
    {
        // About 1.2 MB of tensors per training (parameters, gradients, Adam's moments, the best weights): a leak of
        // them would add some 60 MB.
        float[][] rows = SyntheticData.Manifold(128, 64, seed: 46);
        VaeOptions options = Options with { Epochs = 2, HiddenLayers = [256, 128], ValidationFraction = 0.25f, EarlyStoppingPatience = 5 };
        // The allocators settle first (resident memory rises by about 10 MB over the first trainings, then stays).
        for (int i = 0; i < 20; i++)
        {
            new VaeEstimator(options).Fit(rows);
        }

        long before = ResidentBytes();
        for (int i = 0; i < 50; i++)
        {
            new VaeEstimator(options).Fit(rows);
        }

        long growth = ResidentBytes() - before;
        Assert.IsLessThan(24L << 20, growth, $"resident memory grew by {growth >> 10} KiB over 50 trainings");
    }

    [TestMethod]
    [DataRow("gpu")]
    [DataRow("cuda:x")]
    [DataRow("cuda:-1")]
    [DataRow("")]
    public void AnUnknownDeviceIsRejected(string device)
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new TorchSharpTrainingEngine(device));
        StringAssert.Contains(e.Message, "\"cpu\", \"cuda\" or \"cuda:N\"");
    }

    [TestMethod]
    public void DeviceNamesAreNormalized() => Assert.AreEqual("cuda:1", new TorchSharpTrainingEngine(" CUDA:1 ").Device);

    /// <summary>No CUDA device here (nor CUDA libtorch): the error says so, and which package to install.</summary>
    [TestMethod]
    [DataRow("cuda")]
    [DataRow("cuda:1")]
    public void AMissingCudaDeviceIsExplained(string device)
    {
        VaeOptions options = TrainingRequests.Options() with { TrainingEngine = new TorchSharpTrainingEngine(device), Epochs = 1 };
        var e = Assert.ThrowsExactly<TorchSharpUnavailableException>(() => new VaeEstimator(options).Fit(SyntheticData.Manifold(50, 6, seed: 47)));
        StringAssert.Contains(e.Message, "CUDA requested");
        StringAssert.Contains(e.Message, "TorchSharp reports no CUDA device");
        StringAssert.Contains(e.Message, "TorchSharp-cuda-linux");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
