using System.Globalization;
using Microsoft.ML.Vae.Cli.Commands;
using Microsoft.ML.Vae.Reports;

namespace Microsoft.ML.Vae.Cli.Reporting;

/// <summary>
/// The <c>vae report</c> page, built with Microsoft.ML.Vae.Reports: the model's settings, its loss curves and, when
/// an input was scored, the score histogram with the threshold and a scatter of the latent means.
/// </summary>
internal static class ModelReport
{
    public static HtmlReport Build(ReportData data)
    {
        VaeTransformer model = data.Model;
        var report = new HtmlReport($"VAE report: {Path.GetFileName(data.ModelPath)}", data.ModelPath);

        var settings = new List<IReadOnlyList<string>>
        {
            new[] { "Architecture", ModelDescription.Architecture(model) },
            new[] { "Threshold", TrainCommand.Format(model.Threshold) },
            new[] { "Training rows", model.TrainingSummary.TrainingRowCount.ToString(CultureInfo.InvariantCulture) },
            new[] { "Latent usage", ModelDescription.LatentUsage(model.TrainingSummary) },
            new[] { "Posterior collapse", ModelDescription.PosteriorCollapse(model.TrainingSummary) },
        };
        settings.AddRange(OptionFlags.Describe(model.Options).Select(o => (IReadOnlyList<string>)new[] { o.Flag, o.Value }));
        HtmlReportSection section = report.AddSection("Model");
        if (model.TrainingSummary.PosteriorCollapse)
        {
            section.AddText($"Warning: {ModelDescription.CollapseWarning(model.TrainingSummary)}");
        }

        section.AddTable(["Setting", "Value"], settings);

        IReadOnlyList<VaeEpochReport> history = model.TrainingSummary.History;
        HtmlReportSection curves = report.AddSection("Loss curves");
        if (history.Count == 0)
        {
            curves.AddText("No training history stored.");
        }
        else
        {
            var chart = new LineChart { Title = "Training loss per epoch", XLabel = "epoch", YLabel = "loss per row", Height = 360 }
                .AddSeries("loss", history.Select(h => (double)h.Loss))
                .AddSeries("reconstruction", history.Select(h => (double)h.ReconstructionLoss))
                .AddSeries("KL", history.Select(h => (double)h.KlDivergence));
            if (history.Any(h => !float.IsNaN(h.ValidationLoss)))
            {
                chart.AddSeries("validation", history.Select(h => (double)h.ValidationLoss));
            }

            curves.AddChart(chart);
        }

        if (data.Scores is not { Length: > 0 } scores)
        {
            report.AddSection("Scores").AddText("Run with --input to add the score histogram and the latent scatter.");
            return report;
        }

        // Anomaly scores are heavy-tailed: on a linear axis every normal row falls in the first bin.
        var histogram = new Histogram { Title = $"Scores of {Path.GetFileName(data.InputPath)}", XLabel = "log10(score)", YLabel = "rows", Height = 360 }
            .AddSeries("score", scores.Select(s => Log10(s)))
            .AddMarker(Log10(model.Threshold), "threshold");
        int anomalies = scores.Count(s => s > model.Threshold);
        report.AddSection("Scores").AddChart(histogram, string.Create(
            CultureInfo.InvariantCulture, $"{anomalies:N0} of {scores.Length:N0} rows score above the threshold {TrainCommand.Format(model.Threshold)}."));

        if (data.LatentSample is { Count: > 0 } points)
        {
            string yLabel = model.LatentDimension > 1 ? "latent mean 1" : "(one latent dimension)";
            var scatter = new ScatterChart { Title = "Latent means (a uniform sample of rows)", XLabel = "latent mean 0", YLabel = yLabel, Height = 480 }
                .AddSeries("normal", points.Where(p => !p.Anomaly).Select(p => ((double)p.X, (double)p.Y)))
                .AddSeries("anomaly", points.Where(p => p.Anomaly).Select(p => ((double)p.X, (double)p.Y)));
            report.AddSection("Latent space").AddChart(scatter);
        }

        return report;
    }

    private static double Log10(float score) => Math.Log10(Math.Max(score, 1e-12));
}
