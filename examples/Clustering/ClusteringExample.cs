using System.Globalization;
using Microsoft.ML.Vae;
using Spectre.Console;

namespace VaeMl.Examples.Clustering;

/// <summary>
/// Clustering MNIST: trains a VAE (784-512-256-L), encodes the test images to their latent means, and runs
/// k-means (k = 10) on them and, as the baseline, on the first L principal components of the pixels.
/// Prints how well each clustering matches the digits (NMI, ARI).
/// </summary>
public static class ClusteringExample
{
    private const int Clusters = 10;

    /// <summary>Command-line entry: parses flags, runs, prints errors plainly. Returns the process exit code.</summary>
    public static int RunCommandLine(string[] args, IAnsiConsole console) =>
        ExampleConsole.RunCommandLine(args, console, ClusteringSettings.Parse, ClusteringSettings.Usage, (settings, output) => Run(settings, output));

    /// <summary>Runs both clusterings and prints the comparison.</summary>
    public static IReadOnlyList<ClusteringResult> Run(ClusteringSettings settings, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);

        var paths = MnistFiles.Ensure(settings.Data, line => console.WriteLine(line));
        var train = MnistData.LoadTrain(paths, settings.Limit);
        var test = MnistData.LoadTest(paths, settings.Limit);
        int latent = settings.Latent, pixels = train.Images.PixelCount;
        int[] digits = test.Labels.Select(label => (int)label).ToArray();

        var estimator = new VaeEstimator(new VaeOptions
        {
            LatentDimension = latent,
            HiddenLayers = [512, 256],
            ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
            Scaling = FeatureScaling.None,
            Epochs = settings.Epochs,
            Seed = settings.Seed,
        });
        var model = TrainingDisplay.Fit(console, "VAE", estimator, train.Images.ToFeatureMatrix());
        var means = new float[test.Count * latent];
        model.Transform(test.Images.Pixels.Span, means, default, default, default, default, default);

        var pca = Pca.Fit(train.Images.Pixels.Span, pixels, Math.Min(latent, pixels));
        float[] components = pca.Transform(test.Images.Pixels.Span);

        var results = new List<ClusteringResult>
        {
            Score($"VAE latent means", means, latent, digits, settings),
            Score($"PCA of pixels", components, pca.ComponentCount, digits, settings),
        };

        string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
        var table = new Table().Title(new TableTitle(string.Create(CultureInfo.InvariantCulture,
            $"k-means (k = {Clusters}) on {test.Count:N0} test images vs their digits"), Style.Plain));
        table.AddColumn("features").AddColumn(new TableColumn("dimensions").RightAligned())
            .AddColumn(new TableColumn("NMI").RightAligned()).AddColumn(new TableColumn("ARI").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(r.Method, r.Dimensions.ToString(CultureInfo.InvariantCulture), F(r.NormalizedMutualInformation), F(r.AdjustedRandIndex));
        }

        console.Write(table);
        return results;
    }

    private static ClusteringResult Score(string method, float[] features, int dimension, int[] digits, ClusteringSettings settings)
    {
        var (assignments, _) = KMeans.Cluster(features, dimension, Math.Min(Clusters, digits.Length), settings.Seed, settings.Restarts);
        return new ClusteringResult(method, dimension,
            ClusterAgreement.NormalizedMutualInformation(digits, assignments),
            ClusterAgreement.AdjustedRandIndex(digits, assignments));
    }
}
