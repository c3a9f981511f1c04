using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Vae;
using Spectre.Console;

namespace VaeMl.Examples.Clustering;

/// <summary>
/// Clustering MNIST with two ML.NET pipelines fitted on the training images: a VAE (784-512-256-L) then k-means
/// (k = 10) on its latent means, against ML.NET's PCA (L components of the pixels) then k-means. Both cluster the test
/// images and are scored against the digits with <c>mlContext.Clustering.Evaluate</c>.
/// </summary>
public static class ClusteringExample
{
    private const int Clusters = 10;
    private const string PrincipalComponents = "PrincipalComponents";

    /// <summary>Command-line entry: parses flags, runs, prints errors plainly. Returns the process exit code.</summary>
    public static int RunCommandLine(string[] args, IAnsiConsole console) =>
        ExampleConsole.RunCommandLine(args, console, ClusteringSettings.Parse, ClusteringSettings.Usage, (settings, output) => Run(settings, output));

    /// <summary>Runs both pipelines and prints the comparison.</summary>
    public static IReadOnlyList<ClusteringResult> Run(ClusteringSettings settings, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);

        var paths = MnistFiles.Ensure(settings.Data, line => console.WriteLine(line));
        var train = MnistData.LoadTrain(paths, settings.Limit);
        var test = MnistData.LoadTest(paths, settings.Limit);
        int latent = settings.Latent;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Clustering MNIST: pipelines fitted on {train.Count:N0} training images, evaluated on {test.Count:N0} test images."));

        var ml = new MLContext(seed: settings.Seed);
        IDataView trainView = MnistDataView.Load(ml, train, digit => digit);
        IDataView testView = MnistDataView.Load(ml, test, digit => digit);

        // NMI needs the digit as a key-typed label; the cache saves k-means from recomputing its input on every pass.
        var digitKey = ml.Transforms.Conversion.MapValueToKey("Label");
        var vae = digitKey
            .Append(ml.Transforms.Vae(new VaeOptions
            {
                LatentDimension = latent,
                HiddenLayers = [512, 256],
                ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
                Scaling = FeatureScaling.None,
                Epochs = settings.Epochs,
                Seed = settings.Seed,
            }))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Clustering.Trainers.KMeans("LatentMean", numberOfClusters: Clusters));
        var pca = digitKey
            .Append(ml.Transforms.ProjectToPrincipalComponents(PrincipalComponents, "Features", rank: latent, seed: settings.Seed))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Clustering.Trainers.KMeans(PrincipalComponents, numberOfClusters: Clusters));

        ClusteringResult Score(string method, IEstimator<ITransformer> pipeline, string featureColumn)
        {
            ITransformer model = TimedStep.Run(console, $"{method}: fitting the pipeline", () => pipeline.Fit(trainView));
            ClusteringMetrics metrics = ml.Clustering.Evaluate(
                model.Transform(testView), labelColumnName: "Label", scoreColumnName: "Score", featureColumnName: featureColumn);
            return new ClusteringResult(method, latent, metrics.NormalizedMutualInformation, metrics.DaviesBouldinIndex);
        }

        var results = new List<ClusteringResult>
        {
            Score("VAE latent means", vae, "LatentMean"),
            Score("PCA of pixels", pca, PrincipalComponents),
        };

        string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
        var table = new Table().Title(new TableTitle(string.Create(CultureInfo.InvariantCulture,
            $"k-means (k = {Clusters}) on {test.Count:N0} test images vs their digits"), Style.Plain));
        table.AddColumn("features").AddColumn(new TableColumn("dimensions").RightAligned())
            .AddColumn(new TableColumn("NMI").RightAligned()).AddColumn(new TableColumn("Davies-Bouldin").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(r.Method, r.Dimensions.ToString(CultureInfo.InvariantCulture), F(r.NormalizedMutualInformation), F(r.DaviesBouldinIndex));
        }

        console.Write(table);
        return results;
    }
}
