using System.Globalization;
using Microsoft.ML.Vae.Cli.Commands;
using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Cli.Reporting;

/// <summary>
/// The <c>vae report</c> page, built with Microsoft.ML.Vae.Reports: the key numbers first, then the model's settings,
/// its loss curves and, when an input was scored, the score histogram with the threshold and a scatter of the latent
/// means coloured by predicted label.
/// </summary>
internal static class ModelReport
{
    public static HtmlReport Build(ReportData data)
    {
        VaeTransformer model = data.Model;
        VaeTrainingSummary training = model.TrainingSummary;
        var report = new HtmlReport($"VAE report: {Path.GetFileName(data.ModelPath)}", data.ModelPath);

        var key = new List<(string, string)>
        {
            ("Threshold", TrainCommand.Format(model.Threshold)),
            ("Training rows", I($"{training.TrainingRowCount:N0}")),
            ("Epochs run", I($"{training.EpochsRun}")),
            ("Final training loss", I($"{training.FinalLoss:G4}")),
            ("Latent usage", ModelDescription.LatentUsage(training)),
            ("Posterior collapse", ModelDescription.PosteriorCollapse(training)),
        };
        int anomalies = 0;
        if (data.Scores is { Length: > 0 } scored)
        {
            anomalies = scored.Count(s => s > model.Threshold);
            key.Add(($"Rows of {Path.GetFileName(data.InputPath)}", I($"{scored.Length:N0}")));
            key.Add(("Rows above the threshold", I($"{anomalies:N0} ({(double)anomalies / scored.Length:0.0%})")));
        }

        HtmlReportSection keyNumbers = report.AddSection("Key numbers");
        if (training.PosteriorCollapse)
        {
            keyNumbers.AddText($"Warning: {ModelDescription.CollapseWarning(training)}");
        }

        keyNumbers.AddTable(["Measure", "Value"], key.Select(r => (IReadOnlyList<string>)[r.Item1, r.Item2]));

        var settings = new List<IReadOnlyList<string>> { new[] { "Architecture", ModelDescription.Architecture(model) } };
        settings.AddRange(OptionFlags.Describe(model.Options).Select(o => (IReadOnlyList<string>)new[] { o.Flag, o.Value }));
        report.AddSection("Model settings").AddTable(["Setting", "Value"], settings);

        IReadOnlyList<VaeEpochReport> history = training.History;
        HtmlReportSection curves = report.AddSection("Loss curves");
        if (history.Count == 0)
        {
            curves.AddText("No training history stored.");
        }
        else
        {
            var chart = new LineChart { Title = "Training loss per epoch", XLabel = "epoch", YLabel = "loss per row" }
                .AddSeries("loss", history.Select(h => ((double)h.Epoch, (double)h.Loss)))
                .AddSeries("reconstruction", history.Select(h => ((double)h.Epoch, (double)h.ReconstructionLoss)))
                .AddSeries("KL", history.Select(h => ((double)h.Epoch, (double)h.KlDivergence)));
            bool validation = history.Any(h => !float.IsNaN(h.ValidationLoss));
            if (validation)
            {
                chart.AddSeries("validation loss", history.Select(h => ((double)h.Epoch, (double)h.ValidationLoss)));
            }

            curves.AddChart(chart, validation
                    ? "Line chart of the training loss, its reconstruction and KL terms and the validation loss per epoch"
                    : "Line chart of the training loss and its reconstruction and KL terms per epoch",
                I($"{history.Count} epochs over {training.TrainingRowCount:N0} rows; final loss {training.FinalLoss:G4}."));
        }

        if (data.Scores is not { Length: > 0 } scores)
        {
            report.AddSection("Scores").AddText("Run with --input to add the score histogram and the latent scatter.");
            return report;
        }

        // Anomaly scores are heavy-tailed: on a linear axis every normal row falls in the first bin.
        string input = Path.GetFileName(data.InputPath) ?? "the input";
        var histogram = new Histogram { Title = $"Anomaly scores of {input}", XLabel = "log10(score)", YLabel = "rows" }
            .AddSeries("rows", scores.Select(s => Log10(s)))
            .AddMarker(Log10(model.Threshold), $"threshold {TrainCommand.Format(model.Threshold)}");
        report.AddSection("Scores").AddChart(histogram,
            "Histogram of the rows' anomaly scores on a log scale with a dashed line at the threshold",
            I($"{anomalies:N0} of {scores.Length:N0} rows score above the threshold {TrainCommand.Format(model.Threshold)} (the {1 - model.Options.Contamination:0.0%} quantile of the training rows' scores)."));

        if (data.LatentSample is { Count: > 0 } points)
        {
            int latent = model.LatentDimension;
            var scatter = new ScatterChart
            {
                Title = I($"Latent means of {points.Count:N0} rows of {input}"),
                XLabel = "z1 (latent mean)",
                YLabel = latent > 1 ? "z2 (latent mean)" : "(one latent dimension)",
            }
                .AddSeries("normal", points.Where(p => !p.Anomaly).Select(p => ((double)p.X, (double)p.Y)))
                .AddSeries("anomaly", points.Where(p => p.Anomaly).Select(p => ((double)p.X, (double)p.Y)));
            string which = latent switch
            {
                1 => "its 1-D latent mean",
                2 => "its 2-D latent mean",
                _ => I($"the first two coordinates of its {latent}-D latent mean"),
            };
            report.AddSection("Latent space").AddChart(scatter,
                "Scatter of a sample of rows at their latent means, coloured normal or anomaly",
                I($"A uniform sample of {points.Count:N0} of the {scores.Length:N0} rows, each placed by {which}, coloured by its predicted label."));
        }

        return report;
    }

    private static double Log10(float score) => Math.Log10(Math.Max(score, 1e-12));

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
