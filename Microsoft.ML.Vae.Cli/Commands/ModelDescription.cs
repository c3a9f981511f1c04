using System.Globalization;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>Human-readable descriptions of a model, shared by train, inspect and report.</summary>
internal static class ModelDescription
{
    /// <summary>e.g. "30 -> 512 -> 256 -> 2 (latent) -> 256 -> 512 -> 30".</summary>
    public static string Architecture(VaeTransformer model)
    {
        IReadOnlyList<int> hidden = model.Options.HiddenLayers;
        var widths = new List<string> { model.FeatureCount.ToString(CultureInfo.InvariantCulture) };
        widths.AddRange(hidden.Select(w => w.ToString(CultureInfo.InvariantCulture)));
        widths.Add($"{model.LatentDimension} (latent)");
        widths.AddRange(hidden.Reverse().Select(w => w.ToString(CultureInfo.InvariantCulture)));
        widths.Add(model.FeatureCount.ToString(CultureInfo.InvariantCulture));
        return string.Join(" -> ", widths);
    }

    /// <summary>Every option, named as its command-line flag.</summary>
    public static IReadOnlyList<(string Flag, string Value)> Options(VaeOptions options) =>
    [
        ("--latent-dimension", Invariant(options.LatentDimension)),
        ("--hidden-layers", HiddenLayersToken(options.HiddenLayers)),
        ("--loss", LossToken(options.ReconstructionLoss)),
        ("--scaling", ScalingToken(options.Scaling)),
        ("--epochs", Invariant(options.Epochs)),
        ("--training-steps", Invariant(options.TrainingSteps)),
        ("--batch-size", Invariant(options.BatchSize)),
        ("--learning-rate", Invariant(options.LearningRate)),
        ("--beta", Invariant(options.Beta)),
        ("--kl-warmup-epochs", Invariant(options.KlWarmupEpochs)),
        ("--validation-fraction", Invariant(options.ValidationFraction)),
        ("--early-stopping-patience", Invariant(options.EarlyStoppingPatience)),
        ("--trim-fraction", Invariant(options.TrimFraction)),
        ("--input-noise", Invariant(options.InputNoise)),
        ("--gradient-clip-norm", Invariant(options.GradientClipNorm)),
        ("--score", ScoreToken(options.ScoreKind)),
        ("--contamination", Invariant(options.Contamination)),
        ("--seed", Invariant(options.Seed)),
        ("--threads", Invariant(options.ThreadCount)),
    ];

    /// <summary>The --hidden-layers spelling of <paramref name="layers"/>.</summary>
    public static string HiddenLayersToken(IReadOnlyList<int> layers) => layers.Count == 0 ? "none" : string.Join(',', layers);

    /// <summary>The --loss spelling of <paramref name="loss"/>.</summary>
    public static string LossToken(ReconstructionLoss loss) => loss switch
    {
        ReconstructionLoss.BinaryCrossEntropy => "bce",
        ReconstructionLoss.SquaredError => "squared-error",
        _ => "gaussian",
    };

    /// <summary>The --score spelling of <paramref name="kind"/>.</summary>
    public static string ScoreToken(ScoreKind kind) => kind == ScoreKind.NegativeElbo ? "negative-elbo" : "reconstruction-error";

    /// <summary>The --scaling spelling of <paramref name="scaling"/>.</summary>
    public static string ScalingToken(FeatureScaling scaling) => scaling.ToString().ToLowerInvariant();

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
