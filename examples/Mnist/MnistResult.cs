namespace VaeMl.Examples.Mnist;

/// <summary>What one run of the MNIST example measured and wrote.</summary>
/// <param name="TrainingRows">Images trained on.</param>
/// <param name="TestRows">Images evaluated.</param>
/// <param name="TrainingSeconds">Wall-clock training time.</param>
/// <param name="TestNegativeElbo">Mean negative ELBO of the test images in nats (one sampled z per image).</param>
/// <param name="TestNegativeElboAtMean">The same loss with z = latent mean.</param>
/// <param name="TestReconstructionError">Mean squared pixel error of the test reconstructions.</param>
/// <param name="DenoisedError">Mean squared error against the clean test images of the denoising model's reconstructions of noisy ones.</param>
/// <param name="NoisyError">Mean squared error of the noisy test images against the clean ones.</param>
/// <param name="TextbookDenoisedError">The same error for the 2-D model (trained on clean images) reconstructing the noisy images.</param>
/// <param name="Files">Every file written, by name.</param>
public sealed record MnistResult(
    int TrainingRows,
    int TestRows,
    double TrainingSeconds,
    double TestNegativeElbo,
    double TestNegativeElboAtMean,
    double TestReconstructionError,
    double DenoisedError,
    double NoisyError,
    double TextbookDenoisedError,
    IReadOnlyList<string> Files);
