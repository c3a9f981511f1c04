namespace VaeMl.Examples.AnomalyDetection;

/// <summary>How well each detector trained on one digit separates it from the other nine on the test set.</summary>
/// <param name="Digit">The normal class.</param>
/// <param name="TrainingRows">Training images of that digit.</param>
/// <param name="Vae">The VAE's result (Score = reconstruction error).</param>
/// <param name="Pca">ML.NET's RandomizedPca detector's result.</param>
public sealed record DigitResult(int Digit, int TrainingRows, DetectorResult Vae, DetectorResult Pca);
