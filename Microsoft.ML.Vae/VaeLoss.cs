namespace Microsoft.ML.Vae;

/// <summary>Mean per-row loss of a model on a set of rows (see <see cref="VaeTransformer.Evaluate(FeatureMatrix, bool, int)"/>).</summary>
/// <param name="NegativeElbo">Reconstruction + KL: the negative evidence lower bound, in nats for binary cross-entropy and the Gaussian decoder.</param>
/// <param name="Reconstruction">Mean per-row reconstruction term.</param>
/// <param name="KlDivergence">Mean per-row KL(q(z|x) || N(0, I)).</param>
public sealed record VaeLoss(double NegativeElbo, double Reconstruction, double KlDivergence);
