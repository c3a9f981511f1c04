namespace Microsoft.ML.Vae;

/// <summary>How the decoder's output is compared with the input row during training.</summary>
public enum ReconstructionLoss
{
    /// <summary>
    /// Binary cross-entropy summed over features, computed from logits; the decoder ends in a sigmoid.
    /// Needs scaled features in [0, 1] (use <see cref="FeatureScaling.MinMax"/>).
    /// </summary>
    BinaryCrossEntropy = 0,

    /// <summary>Squared error summed over features; the decoder's output is linear.</summary>
    SquaredError = 1,

    /// <summary>
    /// Gaussian negative log-likelihood summed over features, in nats: the decoder's linear output is the mean, and each
    /// feature has a variance of its own, set after every epoch to its maximum-likelihood value (the mean squared
    /// reconstruction error of that epoch). Features the model reconstructs well weigh more in the loss, so no KL weight
    /// needs tuning to the scale of the features.
    /// </summary>
    Gaussian = 2,
}
