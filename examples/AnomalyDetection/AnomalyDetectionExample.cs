using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Vae;
using Spectre.Console;

namespace VaeMl.Examples.AnomalyDetection;

/// <summary>
/// One-class MNIST: for each digit, train a VAE on that digit's training images only, score all test images by
/// reconstruction error (the model's Score), and measure how well it separates the other nine digits (ROC-AUC), and
/// what the threshold calibrated on training data (1% contamination) catches. (The per-image negative ELBO scored
/// worse here: thin digits such as 1 have little ink, so a low cross-entropy, whatever the class.)
/// </summary>
public static class AnomalyDetectionExample
{
    /// <summary>Command-line entry: parses flags, runs, prints errors plainly. Returns the process exit code.</summary>
    public static int RunCommandLine(string[] args, IAnsiConsole console) =>
        ExampleConsole.RunCommandLine(args, console, AnomalySettings.Parse, AnomalySettings.Usage, (settings, output) => Run(settings, output));

    /// <summary>Runs the experiment for every digit in <paramref name="settings"/> and prints the table.</summary>
    public static IReadOnlyList<DigitResult> Run(AnomalySettings settings, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);

        var paths = MnistFiles.Ensure(settings.Data, line => console.WriteLine(line));
        var train = MnistData.LoadTrain(paths, settings.Limit);
        var test = MnistData.LoadTest(paths, settings.Limit);
        var testMatrix = test.Images.ToFeatureMatrix();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One-class MNIST: {settings.Epochs} epochs per digit, 784-{string.Join('-', settings.Hidden)}-{settings.Latent}, scoring {test.Count:N0} test images."));

        var results = new List<DigitResult>();
        foreach (int digit in settings.Digits)
        {
            var stopwatch = Stopwatch.StartNew();
            var normal = OneDigit(train, digit);
            var estimator = new VaeEstimator(new VaeOptions
            {
                LatentDimension = settings.Latent,
                HiddenLayers = settings.Hidden,
                ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
                Scaling = FeatureScaling.None,
                Epochs = settings.Epochs,
                Contamination = 0.01f,
                Seed = settings.Seed,
            });
            var model = TrainingDisplay.Fit(console, $"digit {digit}", estimator, normal);

            var scores = new float[test.Count];
            model.Transform(testMatrix.Values.Span, default, default, default, default, scores, default);
            var anomalous = test.Labels.Select(label => label != digit).ToArray();
            var metrics = AnomalyDetectionMetrics.Compute(scores, anomalous, model.Threshold, falsePositiveCount: 10);
            results.Add(new DigitResult(
                digit, normal.RowCount, metrics.AreaUnderRocCurve, metrics.DetectionRateAtThreshold, metrics.FalsePositiveRateAtThreshold,
                stopwatch.Elapsed.TotalSeconds));
        }

        console.Write(Table(results));
        return results;
    }

    private static FeatureMatrix OneDigit(MnistSplit split, int digit)
    {
        int width = split.Images.PixelCount;
        var rows = Enumerable.Range(0, split.Count).Where(i => split.Labels[i] == digit).ToArray();
        if (rows.Length == 0)
        {
            throw new InvalidOperationException($"The training images hold no digit {digit}; raise --limit.");
        }

        var values = new float[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            split.Images.GetImage(rows[i]).CopyTo(values.AsSpan(i * width, width));
        }

        return new FeatureMatrix(values, rows.Length, width);
    }

    private static Table Table(IReadOnlyList<DigitResult> results)
    {
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Title(new TableTitle("One-class MNIST: normal digit vs the other nine (test set)", Style.Plain));
        table.AddColumn("normal digit");
        foreach (string column in new[] { "training rows", "ROC-AUC", "detection rate", "false alarms", "seconds" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var r in results)
        {
            table.AddRow(F(r.Digit, "0"), F(r.TrainingRows, "N0"), F(r.RocAuc, "F4"), F(r.DetectionRate, "P1"), F(r.FalseAlarmRate, "P1"), F(r.Seconds, "F1"));
        }

        if (results.Count > 1)
        {
            table.AddEmptyRow();
            table.AddRow("mean", F(results.Average(r => r.TrainingRows), "N0"), F(results.Average(r => r.RocAuc), "F4"),
                F(results.Average(r => r.DetectionRate), "P1"), F(results.Average(r => r.FalseAlarmRate), "P1"), F(results.Sum(r => r.Seconds), "F1"));
        }

        return table;
    }
}
