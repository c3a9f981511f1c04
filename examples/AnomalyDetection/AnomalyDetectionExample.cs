using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Vae;
using Spectre.Console;

namespace VaeMl.Examples.AnomalyDetection;

/// <summary>
/// One-class MNIST: for each digit, trains a VAE and ML.NET's RandomizedPca anomaly detector on that digit's training
/// images only, scores all test images, and measures with ML.NET's <c>AnomalyDetection.Evaluate</c> how well each one
/// separates the other nine digits (ROC-AUC, and the detection rate at 10 false positives). The VAE's Score is its
/// reconstruction error. (The per-image negative ELBO scored worse here: thin digits such as 1 have little ink, so a
/// low cross-entropy, whatever the class.)
/// </summary>
public static class AnomalyDetectionExample
{
    /// <summary>K of the detection rate at K false positives.</summary>
    public const int FalsePositives = 10;

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
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One-class MNIST: VAE 784-{string.Join('-', settings.Hidden)}-{settings.Latent} ({settings.Epochs} epochs) and RandomizedPca (rank {settings.Rank}, uncentred) per digit, scoring {test.Count:N0} test images."));

        var ml = new MLContext(seed: settings.Seed);
        var vae = ml.Transforms.Vae(new VaeOptions
        {
            LatentDimension = settings.Latent,
            HiddenLayers = settings.Hidden,
            ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
            Scaling = FeatureScaling.None,
            Epochs = settings.Epochs,
            Seed = settings.Seed,
        });
        // Uncentred: ML.NET scores a row by the share of it its components leave unexplained, and after centring that
        // share ranks the other digits worse (examples/README.md has both figures).
        var pca = ml.AnomalyDetection.Trainers.RandomizedPca(rank: settings.Rank, ensureZeroMean: false, seed: settings.Seed);

        var results = new List<DigitResult>();
        foreach (int digit in settings.Digits)
        {
            int trainingRows = train.Labels.Count(label => label == digit);
            if (trainingRows == 0)
            {
                throw new InvalidOperationException($"The training images hold no digit {digit}; raise --limit.");
            }

            IDataView normal = MnistDataView.Load(ml, train, _ => 0f, label => label == digit);
            IDataView labelled = MnistDataView.Load(ml, test, label => label == digit ? 0f : 1f);
            results.Add(new DigitResult(
                digit,
                trainingRows,
                Evaluate(ml, labelled, TrainingDisplay.Fit(console, $"digit {digit}", vae, normal)),
                TimedStep.Run(console, $"digit {digit}: RandomizedPca fitted and evaluated", () => Evaluate(ml, labelled, pca.Fit(normal)))));
        }

        console.Write(Table(results));
        return results;
    }

    private static DetectorResult Evaluate(MLContext ml, IDataView labelled, ITransformer detector)
    {
        AnomalyDetectionMetrics metrics = ml.AnomalyDetection.Evaluate(detector.Transform(labelled), falsePositiveCount: FalsePositives);
        return new DetectorResult(metrics.AreaUnderRocCurve, metrics.DetectionRateAtFalsePositiveCount);
    }

    private static Table Table(IReadOnlyList<DigitResult> results)
    {
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Title(new TableTitle("One-class MNIST: normal digit vs the other nine (test set)", Style.Plain));
        table.AddColumn("digit");
        string detected = $"DR@{FalsePositives}FP";
        foreach (string column in new[] { "train rows", "VAE ROC-AUC", "PCA ROC-AUC", $"VAE {detected}", $"PCA {detected}" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        string[] Cells(string first, double rows, DetectorResult vae, DetectorResult pca) =>
            [first, F(rows, "N0"), F(vae.RocAuc, "F4"), F(pca.RocAuc, "F4"), F(vae.DetectionRate, "P1"), F(pca.DetectionRate, "P1")];

        foreach (var r in results)
        {
            table.AddRow(Cells(F(r.Digit, "0"), r.TrainingRows, r.Vae, r.Pca));
        }

        if (results.Count > 1)
        {
            DetectorResult Mean(Func<DigitResult, DetectorResult> detector) =>
                new(results.Average(r => detector(r).RocAuc), results.Average(r => detector(r).DetectionRate));
            table.AddEmptyRow();
            table.AddRow(Cells("mean", results.Average(r => r.TrainingRows), Mean(r => r.Vae), Mean(r => r.Pca)));
        }

        table.Caption(new TableTitle(
            $"{detected}: share of the other digits ranked above the {FalsePositives + 1}th-highest test image of the normal digit (ML.NET's DetectionRateAtFalsePositiveCount).",
            Style.Plain));
        return table;
    }
}
