using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Vae;
using Spectre.Console;

namespace VaeMl.Examples;

/// <summary>
/// Trains a model under a Spectre.Console progress bar showing epoch, losses and rows per second, and prints one
/// line per epoch when the console is not interactive (logs, tests).
/// </summary>
public static class TrainingDisplay
{
    /// <summary>Fits <paramref name="estimator"/> on <paramref name="rows"/>, showing progress on <paramref name="console"/>.</summary>
    public static VaeTransformer Fit(IAnsiConsole console, string title, VaeEstimator estimator, FeatureMatrix rows)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return Fit(console, title, estimator.Options.Epochs, progress => estimator.Fit(rows, progress));
    }

    /// <summary>Fits <paramref name="estimator"/> on the feature column of <paramref name="data"/>, showing progress on <paramref name="console"/>.</summary>
    public static VaeTransformer Fit(IAnsiConsole console, string title, VaeEstimator estimator, IDataView data)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return Fit(console, title, estimator.Options.Epochs, progress => estimator.Fit(data, progress));
    }

    private static VaeTransformer Fit(IAnsiConsole console, string title, int epochs, Func<IProgress<VaeEpochReport>, VaeTransformer> fit)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (!console.Profile.Capabilities.Interactive)
        {
            var stopwatch = Stopwatch.StartNew();
            var model = fit(new Reporter(report => console.WriteLine($"{title}: {Describe(report, epochs)}")));
            console.WriteLine($"{title}: trained in {stopwatch.Elapsed.TotalSeconds:F1} s");
            return model;
        }

        // The live line stays short enough for an 80-column terminal; the summary lines carry the detail.
        VaeTransformer? trained = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(),
                new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"{title}: starting"), maxValue: epochs);
                trained = fit(new Reporter(report =>
                {
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"{title} {report.Epoch}/{epochs}  loss {report.Loss:F2}  {report.SamplesPerSecond:N0} rows/s"));
                    task.Value = report.Epoch;
                }));
                task.Value = epochs;
            });
        return trained!;
    }

    /// <summary>One line describing an epoch: number, losses and throughput.</summary>
    public static string Describe(VaeEpochReport report, int epochs)
    {
        ArgumentNullException.ThrowIfNull(report);
        string validation = float.IsNaN(report.ValidationLoss) ? "" : $"  val {report.ValidationLoss:F2}";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch}/{epochs}  loss {report.Loss:F2} (rec {report.ReconstructionLoss:F2}, KL {report.KlDivergence:F2}){validation}  {report.SamplesPerSecond:N0} rows/s");
    }

    // Called synchronously on the training thread (Progress<T> would post to the thread pool and reorder lines).
    private sealed class Reporter(Action<VaeEpochReport> report) : IProgress<VaeEpochReport>
    {
        public void Report(VaeEpochReport value) => report(value);
    }
}
