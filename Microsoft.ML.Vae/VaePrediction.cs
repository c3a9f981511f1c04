namespace Microsoft.ML.Vae;

/// <summary>The transformer's output for one row, named as ML.NET's anomaly detectors name their columns.</summary>
public sealed class VaePrediction
{
    /// <summary>Mean of q(z|x): the row's coordinates in the latent space (features for clustering).</summary>
    public required float[] LatentMean { get; init; }

    /// <summary>Log-variance of q(z|x).</summary>
    public required float[] LatentLogVariance { get; init; }

    /// <summary>The decoder's reconstruction from z = latent mean, in the original feature units.</summary>
    public required float[] Reconstruction { get; init; }

    /// <summary>Mean over features of the squared difference between the scaled row and its scaled reconstruction.</summary>
    public float ReconstructionError { get; init; }

    /// <summary>
    /// Anomaly score: higher means more anomalous. <see cref="ReconstructionError"/> itself by default, or the row's
    /// negative ELBO (<see cref="VaeOptions.ScoreKind"/>).
    /// </summary>
    public float Score { get; init; }

    /// <summary>True when <see cref="Score"/> is above the model's threshold (an anomaly).</summary>
    public bool PredictedLabel { get; init; }
}
