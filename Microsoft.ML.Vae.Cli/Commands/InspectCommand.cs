using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary><c>vae inspect</c>: architecture, options, threshold, feature names and training summary of a model file.</summary>
internal static class InspectCommand
{
    public static System.CommandLine.Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var json = CommonOptions.Json();
        var command = new System.CommandLine.Command("inspect", "Show a model's architecture, options, threshold and training summary.") { model, json };
        context.SetAction(command, (parse, _) =>
        {
            string path = parse.GetRequiredValue(model);
            VaeTransformer vae = ModelFile.Load(path);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(Describe(vae), EvaluateCommand.JsonOptions));
            }
            else
            {
                WriteTables(context, path, vae);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static object Describe(VaeTransformer vae) => new
    {
        vae.FeatureCount,
        vae.LatentDimension,
        Architecture = ModelDescription.Architecture(vae),
        vae.Threshold,
        vae.FeatureNames,
        Options = OptionFlags.Describe(vae.Options).ToDictionary(o => o.Flag.TrimStart('-'), o => o.Value),
        TrainingSummary = new
        {
            vae.TrainingSummary.EpochsRun,
            vae.TrainingSummary.BestEpoch,
            vae.TrainingSummary.TrainingRowCount,
            vae.TrainingSummary.FinalLoss,
            vae.TrainingSummary.FinalReconstructionLoss,
            vae.TrainingSummary.FinalKlDivergence,
            vae.TrainingSummary.FinalValidationLoss,
            vae.TrainingSummary.LatentKlDivergence,
            vae.TrainingSummary.LatentMeanVariance,
            PosteriorCollapse = vae.TrainingSummary.LatentKlDivergence.Count == 0 ? (bool?)null : vae.TrainingSummary.PosteriorCollapse,
        },
    };

    private static void WriteTables(CliContext context, string path, VaeTransformer vae)
    {
        var model = new Table().Title(Markup.Escape(path)).AddColumn("Property").AddColumn("Value");
        void Row(Table table, string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row(model, "Architecture", ModelDescription.Architecture(vae));
        Row(model, "Features", vae.FeatureNames is null ? $"{vae.FeatureCount} (names not stored)" : string.Join(", ", vae.FeatureNames));
        Row(model, "Threshold", TrainCommand.Format(vae.Threshold));
        VaeTrainingSummary summary = vae.TrainingSummary;
        Row(model, "Training rows", summary.TrainingRowCount.ToString(CultureInfo.InvariantCulture));
        Row(model, "Epochs run (best)", $"{summary.EpochsRun} ({summary.BestEpoch})");
        Row(model, "Final loss", TrainCommand.Format(summary.FinalLoss));
        Row(model, "Reconstruction / KL", $"{TrainCommand.Format(summary.FinalReconstructionLoss)} / {TrainCommand.Format(summary.FinalKlDivergence)}");
        Row(model, "Validation loss", TrainCommand.Format(summary.FinalValidationLoss));
        Row(model, "Latent usage", ModelDescription.LatentUsage(summary));
        Row(model, "Posterior collapse", ModelDescription.PosteriorCollapse(summary));
        context.Console.Write(model);

        var options = new Table().Title("Options").AddColumn("Flag").AddColumn("Value");
        foreach ((string flag, string value) in OptionFlags.Describe(vae.Options))
        {
            Row(options, flag, value);
        }

        context.Console.Write(options);
    }
}
