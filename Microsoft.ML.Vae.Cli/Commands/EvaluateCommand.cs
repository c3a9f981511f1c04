using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;
using Spectre.Console;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary><c>vae evaluate</c>: ROC-AUC, PR-AUC and detection rates of a model on a labeled CSV or Parquet file, measured by ML.NET's evaluators.</summary>
internal static class EvaluateCommand
{
    public static System.CommandLine.Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var input = new InputOptions();
        var label = new Option<string>("--label") { Description = $"Label column: {LabelParser.Accepted}.", Required = true, HelpName = "column" };
        var falsePositives = CommonOptions.Int("--false-positives",
            "K for the detection rate at K false positives (ML.NET's DetectionRateAtFalsePositiveCount).", 10, "K");
        var json = CommonOptions.Json();
        var features = CommonOptions.Features();
        var exclude = CommonOptions.Exclude();
        var quiet = CommonOptions.Quiet();

        var command = new System.CommandLine.Command("evaluate", "Measure how well a model's scores separate labeled anomalies from normal rows.")
        {
            model, input.Input, label, falsePositives, json, features, exclude, input.Delimiter, input.DecimalSeparator, input.BadRows, quiet,
        };
        context.SetAction(command, (parse, cancellationToken) =>
        {
            int k = parse.GetValue(falsePositives);
            if (k < 1)
            {
                throw CliException.Usage("--false-positives must be 1 or more.");
            }

            CommonOptions.Selection(parse, features, exclude);
            VaeTransformer vae = ModelFile.Load(parse.GetRequiredValue(model));
            using FeatureReader reader = input.OpenFor(vae, context, parse, parse.GetValue(features), parse.GetValue(exclude), [], parse.GetRequiredValue(label));

            var scores = new List<float>();
            var labels = new List<bool>();
            BlockByBlock.Score(context, vae, reader, parse.GetValue(quiet), cancellationToken, block =>
            {
                scores.AddRange(block.Scores.AsSpan(0, block.Rows));
                labels.AddRange(block.Labels.AsSpan(0, block.Rows));
            });
            if (scores.Count == 0)
            {
                throw reader.DataError("no data rows to evaluate.");
            }

            EvaluationMetrics metrics;
            try
            {
                metrics = EvaluationMetrics.Compute(scores, labels, vae.Threshold, k);
            }
            catch (ArgumentException e)
            {
                throw CliException.BadInput($"{reader.Name}: {e.Message}", e);
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(metrics, JsonOptions));
            }
            else
            {
                WriteTable(context, metrics);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN precision when nothing is flagged
    };

    private static void WriteTable(CliContext context, EvaluationMetrics m)
    {
        var table = new Table().Title("Anomaly detection metrics").AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F4", CultureInfo.InvariantCulture);
        Row("Rows (anomalies)", $"{m.RowCount} ({m.AnomalyCount})");
        Row("ROC-AUC", F(m.AreaUnderRocCurve));
        Row("PR-AUC (average precision)", F(m.AreaUnderPrecisionRecallCurve));
        Row("Threshold", TrainCommand.Format(m.Threshold));
        Row("Detection rate at threshold", F(m.DetectionRateAtThreshold));
        Row("False positive rate at threshold", F(m.FalsePositiveRateAtThreshold));
        Row("Precision at threshold", F(m.PrecisionAtThreshold));
        Row($"Detection rate at {m.FalsePositiveCount} false positives", F(m.DetectionRateAtFalsePositiveCount));
        context.Console.Write(table);
    }
}
