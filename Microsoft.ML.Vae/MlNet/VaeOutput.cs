namespace Microsoft.ML.Vae.MlNet;

/// <summary>The six columns a <see cref="VaeTransformer"/> adds, in schema order.</summary>
internal enum VaeOutput
{
    LatentMean,
    LatentLogVariance,
    Reconstruction,
    ReconstructionError,
    Score,
    PredictedLabel,
}
