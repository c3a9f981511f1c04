namespace VaeMl.Examples.AnomalyDetection;

/// <summary>How well a VAE trained on one digit separates it from the other nine on the test set.</summary>
/// <param name="Digit">The normal class.</param>
/// <param name="TrainingRows">Training images of that digit.</param>
/// <param name="RocAuc">ROC-AUC of the model's Score (reconstruction error), anomalies (other digits) as positives.</param>
/// <param name="DetectionRate">Share of other-digit test images above the trained threshold.</param>
/// <param name="FalseAlarmRate">Share of same-digit test images above the trained threshold.</param>
/// <param name="Seconds">Training and scoring time.</param>
public sealed record DigitResult(int Digit, int TrainingRows, double RocAuc, double DetectionRate, double FalseAlarmRate, double Seconds);
