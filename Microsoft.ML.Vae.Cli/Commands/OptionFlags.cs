using System.Globalization;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// The <c>vae train</c> flag of each <see cref="VaeOptions"/> setting: how a model's options are shown (inspect,
/// report) and how the library's option errors are told in flag names ("--epochs must be at least 1", not
/// "VaeOptions.Epochs ... (Parameter 'Epochs')").
/// </summary>
internal static partial class OptionFlags
{
    private static readonly (string Property, string Flag, Func<VaeOptions, string> Value)[] s_flags =
    [
        (nameof(VaeOptions.LatentDimension), "--latent-dimension", o => Invariant(o.LatentDimension)),
        (nameof(VaeOptions.HiddenLayers), "--hidden-layers", o => ModelDescription.HiddenLayersToken(o.HiddenLayers)),
        (nameof(VaeOptions.ReconstructionLoss), "--loss", o => ModelDescription.LossToken(o.ReconstructionLoss)),
        (nameof(VaeOptions.Scaling), "--scaling", o => ModelDescription.ScalingToken(o.Scaling)),
        (nameof(VaeOptions.Epochs), "--epochs", o => Invariant(o.Epochs)),
        (nameof(VaeOptions.TrainingSteps), "--training-steps", o => Invariant(o.TrainingSteps)),
        (nameof(VaeOptions.BatchSize), "--batch-size", o => Invariant(o.BatchSize)),
        (nameof(VaeOptions.LearningRate), "--learning-rate", o => Invariant(o.LearningRate)),
        (nameof(VaeOptions.Beta), "--beta", o => Invariant(o.Beta)),
        (nameof(VaeOptions.KlWarmupEpochs), "--kl-warmup-epochs", o => Invariant(o.KlWarmupEpochs)),
        (nameof(VaeOptions.ValidationFraction), "--validation-fraction", o => Invariant(o.ValidationFraction)),
        (nameof(VaeOptions.EarlyStoppingPatience), "--early-stopping-patience", o => Invariant(o.EarlyStoppingPatience)),
        (nameof(VaeOptions.TrimFraction), "--trim-fraction", o => Invariant(o.TrimFraction)),
        (nameof(VaeOptions.InputNoise), "--input-noise", o => Invariant(o.InputNoise)),
        (nameof(VaeOptions.GradientClipNorm), "--gradient-clip-norm", o => Invariant(o.GradientClipNorm)),
        (nameof(VaeOptions.ScoreKind), "--score", o => ModelDescription.ScoreToken(o.ScoreKind)),
        (nameof(VaeOptions.EnsembleSize), "--ensemble-size", o => Invariant(o.EnsembleSize)),
        (nameof(VaeOptions.EnsembleSampleFraction), "--ensemble-sample-fraction", o => Invariant(o.EnsembleSampleFraction)),
        (nameof(VaeOptions.Contamination), "--contamination", o => Invariant(o.Contamination)),
        (nameof(VaeOptions.Seed), "--seed", o => Invariant(o.Seed)),
        (nameof(VaeOptions.ThreadCount), "--threads", o => Invariant(o.ThreadCount)),
    ];

    /// <summary>Every option of <paramref name="options"/>, named as its command-line flag.</summary>
    public static IReadOnlyList<(string Flag, string Value)> Describe(VaeOptions options) => [.. s_flags.Select(f => (f.Flag, f.Value(options)))];

    /// <summary>Library words for settings that have a flag spelling of their own.</summary>
    private static readonly Dictionary<string, string> s_words = Words();

    /// <summary>"ReconstructionLoss.Gaussian" (and bare loss names, as the library's messages use them) to "--loss gaussian", and so on.</summary>
    private static Dictionary<string, string> Words()
    {
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ReconstructionLoss loss in Enum.GetValues<ReconstructionLoss>())
        {
            words[$"{nameof(ReconstructionLoss)}.{loss}"] = words[loss.ToString()] = $"--loss {ModelDescription.LossToken(loss)}";
        }

        foreach (ScoreKind kind in Enum.GetValues<ScoreKind>())
        {
            words[$"{nameof(ScoreKind)}.{kind}"] = $"--score {ModelDescription.ScoreToken(kind)}";
        }

        foreach (FeatureScaling scaling in Enum.GetValues<FeatureScaling>())
        {
            words[$"{nameof(FeatureScaling)}.{scaling}"] = $"--scaling {ModelDescription.ScalingToken(scaling)}";
        }

        return words;
    }

    /// <summary>The library's message about an invalid option, with flags for property names and no "(Parameter ...)" suffix.</summary>
    public static string ToolWords(ArgumentException e)
    {
        string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
        return LibraryName().Replace(message, match =>
        {
            string name = match.Groups["name"].Value;
            return s_words.GetValueOrDefault(name) ?? s_flags.FirstOrDefault(f => f.Property == name).Flag ?? match.Value;
        });
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(VaeOptions\.)?\b(?<name>[A-Z][A-Za-z]+(\.[A-Z][A-Za-z]+)?)\b")]
    private static partial Regex LibraryName();
}
