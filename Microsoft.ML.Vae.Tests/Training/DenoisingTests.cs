using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Tests.Training;

/// <summary>Denoising training (<see cref="VaeOptions.InputNoise"/>): the corruption, and a model that undoes it.</summary>
[TestClass]
public sealed class DenoisingTests
{
    [TestMethod]
    public void SaltAndPepperCorruptsTheShareAskedWithZerosAndOnes()
    {
        var clean = new float[100_000];
        Array.Fill(clean, 0.5f);
        var noisy = new float[clean.Length];
        SaltAndPepper.Corrupt(clean, noisy, 0.2f, new DeterministicRandom(1));
        int zeros = noisy.Count(v => v == 0f), ones = noisy.Count(v => v == 1f), kept = noisy.Count(v => v == 0.5f);
        Assert.AreEqual(clean.Length, zeros + ones + kept);
        Assert.AreEqual(0.1, zeros / (double)clean.Length, 0.005);
        Assert.AreEqual(0.1, ones / (double)clean.Length, 0.005);

        var again = new float[clean.Length];
        SaltAndPepper.Corrupt(clean, again, 0.2f, new DeterministicRandom(1));
        CollectionAssert.AreEqual(noisy, again);
    }

    /// <summary>
    /// Trained with salt-and-pepper noise, the reconstructions of corrupted rows are at least 30% closer to the clean rows
    /// than the corrupted rows are (the MNIST example's bar), and closer than a model trained on clean rows gets them.
    /// </summary>
    [TestMethod]
    public void TrainingOnCorruptedRowsDenoises()
    {
        float[][] training = SyntheticData.Manifold(2000, 30, seed: 31);
        var options = TestModels.Options() with { HiddenLayers = [64, 32], LatentDimension = 4, Epochs = 15, InputNoise = 0.1f, LearningRate = 3e-3f };
        VaeTransformer model = new VaeEstimator(options).Fit(training);
        VaeTransformer plain = new VaeEstimator(options with { InputNoise = 0f }).Fit(training);

        // The noise-free versions of the first 300 training rows (the same latent draws: the same seed).
        float[][] clean = SyntheticData.Manifold(300, 30, seed: 31, noise: 0f);
        var random = new DeterministicRandom(33);
        float[][] noisy = clean.Select(row =>
        {
            var corrupted = new float[row.Length];
            SaltAndPepper.Corrupt(row, corrupted, 0.1f, random);
            return corrupted;
        }).ToArray();

        double before = Mse(noisy, clean), after = Mse(model.Reconstruct(noisy), clean), withoutNoise = Mse(plain.Reconstruct(noisy), clean);
        Assert.IsLessThanOrEqualTo(0.7 * before, after, $"noisy {before:G4}, reconstructed {after:G4}");
        Assert.IsLessThan(withoutNoise, after, $"trained with noise {after:G4}, without {withoutNoise:G4}");
    }

    private static double Mse(float[][] a, float[][] b) =>
        a.Zip(b).Average(p => p.First.Zip(p.Second).Average(v => (v.First - v.Second) * (double)(v.First - v.Second)));
}
