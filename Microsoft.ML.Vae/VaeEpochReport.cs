namespace Microsoft.ML.Vae;

/// <summary>Progress of one training epoch, reported through <see cref="IProgress{T}"/> and kept in the training summary.</summary>
public sealed record VaeEpochReport
{
    /// <summary>1-based epoch number, counted per network.</summary>
    public int Epoch { get; init; }

    /// <summary>
    /// Which network the epoch trained: 1 for the model's own, 2 to <see cref="VaeOptions.EnsembleSize"/> for the other
    /// networks of an ensemble, which train after it.
    /// </summary>
    public int Network { get; init; } = 1;

    /// <summary>Mean per-row training loss: reconstruction + KL weight * KL.</summary>
    public float Loss { get; init; }

    /// <summary>Mean per-row reconstruction term (nats for binary cross-entropy).</summary>
    public float ReconstructionLoss { get; init; }

    /// <summary>Mean per-row KL divergence of the latent posterior from the N(0, I) prior.</summary>
    public float KlDivergence { get; init; }

    /// <summary>Mean per-row validation loss (reconstruction + Beta * KL, z = latent mean); NaN without a validation split.</summary>
    public float ValidationLoss { get; init; } = float.NaN;

    /// <summary>Weight on the KL term at the end of the epoch (rises during warm-up).</summary>
    public float KlWeight { get; init; }

    /// <summary>
    /// Training rows processed per second during the epoch. Not saved in model files (format version 3 on): 0 in a
    /// loaded model.
    /// </summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Time since training started. Not saved in model files (format version 3 on): zero in a loaded model.</summary>
    public TimeSpan Elapsed { get; init; }
}
