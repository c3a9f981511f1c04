namespace Microsoft.ML.Vae;

/// <summary>What training did: saved with the model and shown by <c>vae inspect</c>.</summary>
public sealed class VaeTrainingSummary
{
    /// <summary>Epochs completed (fewer than the option when early stopping ended training).</summary>
    public int EpochsRun { get; init; }

    /// <summary>Epoch whose weights the model holds (the best validation epoch with early stopping, else the last).</summary>
    public int BestEpoch { get; init; }

    /// <summary>
    /// Rows trained on (the rest, if any, formed the validation split); with <see cref="VaeOptions.TrimFraction"/>, each
    /// epoch after the first leaves that share of them out.
    /// </summary>
    public int TrainingRowCount { get; init; }

    /// <summary>Training loss of the last epoch.</summary>
    public float FinalLoss { get; init; }

    /// <summary>Reconstruction term of the last epoch.</summary>
    public float FinalReconstructionLoss { get; init; }

    /// <summary>KL term of the last epoch.</summary>
    public float FinalKlDivergence { get; init; }

    /// <summary>Validation loss of the kept weights; NaN without a validation split.</summary>
    public float FinalValidationLoss { get; init; } = float.NaN;

    /// <summary>One report per epoch run.</summary>
    public IReadOnlyList<VaeEpochReport> History { get; init; } = [];
}
