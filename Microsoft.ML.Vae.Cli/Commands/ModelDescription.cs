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

    /// <summary>What to do about posterior collapse, in flags.</summary>
    public const string CollapseFix =
        "train without --loss and --scaling (the defaults for tabular data: a Gaussian decoder with --scaling minmax) or with --loss squared-error --scaling standard, with KL warm-up (--kl-warmup-epochs 10) or with a smaller --beta (e.g. 0.1)";

    /// <summary>Whether the posterior collapsed: "yes", "no" (with the unused dimensions) or "not measured".</summary>
    public static string PosteriorCollapse(VaeTrainingSummary summary) => summary switch
    {
        { LatentKlDivergence.Count: 0 } => "not measured (a model saved before the check existed)",
        { PosteriorCollapse: true } => $"yes: the latent means carry almost no information; {CollapseFix}",
        { CollapsedLatentDimensions: 0 } => "no",
        _ => $"no ({summary.CollapsedLatentDimensions} of {summary.LatentKlDivergence.Count} latent dimensions unused)",
    };

    /// <summary>e.g. "KL 0.96, 0.71; variance 0.95, 0.84" (per latent dimension), or "-" when not measured.</summary>
    public static string LatentUsage(VaeTrainingSummary summary) => summary.LatentKlDivergence.Count == 0
        ? "-"
        : $"KL {Figures(summary.LatentKlDivergence)}; variance {Figures(summary.LatentMeanVariance)}";

    /// <summary>The collapse warning, one line, with the figures it is based on and the fix.</summary>
    public static string CollapseWarning(VaeTrainingSummary summary) =>
        $"posterior collapse: every latent dimension is unused (per dimension, {LatentUsage(summary)}; below "
        + $"{VaeTrainingSummary.CollapseThreshold.ToString(CultureInfo.InvariantCulture)} is unused), so the latent features are useless and the scores come from an average reconstruction. To fix it, {CollapseFix}.";

    private static string Figures(IEnumerable<float> values) =>
        string.Join(", ", values.Take(8).Select(v => v.ToString("G2", CultureInfo.InvariantCulture))) + (values.Count() > 8 ? ", ..." : "");

    /// <summary>The --hidden-layers spelling of <paramref name="layers"/>.</summary>
    public static string HiddenLayersToken(IReadOnlyList<int> layers) => layers.Count == 0 ? "none" : string.Join(',', layers);

    /// <summary>The --loss spelling of <paramref name="loss"/>.</summary>
    public static string LossToken(ReconstructionLoss loss) => loss switch
    {
        ReconstructionLoss.BinaryCrossEntropy => "bce",
        ReconstructionLoss.SquaredError => "squared-error",
        _ => "gaussian",
    };

    /// <summary>What the score column holds: "reconstruction-error", or "reconstruction-error, mean of 5 networks".</summary>
    public static string Score(VaeOptions options) =>
        options.EnsembleSize == 1 ? ScoreToken(options.ScoreKind) : $"{ScoreToken(options.ScoreKind)}, mean of {options.EnsembleSize} networks";

    /// <summary>The --score spelling of <paramref name="kind"/>.</summary>
    public static string ScoreToken(ScoreKind kind) => kind == ScoreKind.NegativeElbo ? "negative-elbo" : "reconstruction-error";

    /// <summary>The --scaling spelling of <paramref name="scaling"/>.</summary>
    public static string ScalingToken(FeatureScaling scaling) => scaling.ToString().ToLowerInvariant();

    /// <summary>Every spelling <paramref name="token"/> gives the values of <typeparamref name="TEnum"/>, in the enum's order.</summary>
    public static string[] Tokens<TEnum>(Func<TEnum, string> token)
        where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(token)];

    /// <summary>The value whose spelling is <paramref name="text"/>; null for none (such as "auto").</summary>
    public static TEnum? FromToken<TEnum>(string? text, Func<TEnum, string> token)
        where TEnum : struct, Enum
    {
        foreach (TEnum value in Enum.GetValues<TEnum>())
        {
            if (token(value) == text)
            {
                return value;
            }
        }

        return null;
    }
}
