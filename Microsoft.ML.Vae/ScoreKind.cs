namespace Microsoft.ML.Vae;

/// <summary>What the <c>Score</c> column (<see cref="VaePrediction.Score"/>) holds; higher is more anomalous either way.</summary>
public enum ScoreKind
{
    /// <summary>
    /// The reconstruction error: mean over features of the squared difference between the scaled row and its scaled
    /// reconstruction from z = latent mean (the same value as the <c>ReconstructionError</c> column).
    /// </summary>
    ReconstructionError = 0,

    /// <summary>
    /// The negative evidence lower bound at z = latent mean: the row's reconstruction loss (summed over features, as
    /// training computes it; in nats for binary cross-entropy and the Gaussian decoder) plus KL(q(z|x) || N(0, I)).
    /// </summary>
    NegativeElbo = 1,
}
