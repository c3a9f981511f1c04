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

    /// <summary>
    /// A latent dimension whose mean KL divergence (nats per row) or whose latent-mean variance over the training rows is
    /// below this carries almost no information about the row: it has collapsed to the prior.
    /// </summary>
    public const float CollapseThreshold = 0.01f;

    /// <summary>
    /// Per latent dimension, the mean of KL(q(z|x) || N(0, 1)) with the final weights, in nats, over the rows given to
    /// training (validation rows included; at most 65,536, evenly spread). Empty for models saved before it was measured.
    /// </summary>
    public IReadOnlyList<float> LatentKlDivergence { get; init; } = [];

    /// <summary>
    /// Per latent dimension, the variance of the latent mean with the final weights, over the same rows as
    /// <see cref="LatentKlDivergence"/>. Empty for models saved before it was measured.
    /// </summary>
    public IReadOnlyList<float> LatentMeanVariance { get; init; } = [];

    /// <summary>
    /// Latent dimensions below <see cref="CollapseThreshold"/> in <see cref="LatentKlDivergence"/> or in
    /// <see cref="LatentMeanVariance"/>.
    /// </summary>
    public int CollapsedLatentDimensions =>
        Enumerable.Range(0, Math.Min(LatentKlDivergence.Count, LatentMeanVariance.Count))
            .Count(d => !(LatentKlDivergence[d] >= CollapseThreshold) || !(LatentMeanVariance[d] >= CollapseThreshold));

    /// <summary>
    /// True when every latent dimension has collapsed (see <see cref="CollapsedLatentDimensions"/>): every row encodes to
    /// about the same point, so the latent means are useless as features and the scores come from an average
    /// reconstruction. On tabular data the usual cause is binary cross-entropy on min-max scaled continuous values; use
    /// <see cref="ReconstructionLoss.SquaredError"/> with <see cref="FeatureScaling.Standard"/>, KL warm-up
    /// (<see cref="VaeOptions.KlWarmupEpochs"/>) or a smaller <see cref="VaeOptions.Beta"/>.
    /// </summary>
    public bool PosteriorCollapse => LatentKlDivergence.Count > 0 && CollapsedLatentDimensions == LatentKlDivergence.Count;

    /// <summary>This summary with the latent-usage figures measured on the final weights.</summary>
    internal VaeTrainingSummary WithLatentUsage(IReadOnlyList<float> klDivergence, IReadOnlyList<float> meanVariance) => new()
    {
        EpochsRun = EpochsRun,
        BestEpoch = BestEpoch,
        TrainingRowCount = TrainingRowCount,
        FinalLoss = FinalLoss,
        FinalReconstructionLoss = FinalReconstructionLoss,
        FinalKlDivergence = FinalKlDivergence,
        FinalValidationLoss = FinalValidationLoss,
        History = History,
        LatentKlDivergence = klDivergence,
        LatentMeanVariance = meanVariance,
    };
}
