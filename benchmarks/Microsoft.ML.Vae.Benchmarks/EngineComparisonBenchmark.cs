using System.Globalization;
using Microsoft.ML.Vae.TorchSharp;
using Microsoft.ML.Vae.Training;
using VaeMl.Examples;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// `engines` benchmark: the managed engine and TorchSharp's (CPU libtorch) train the same model on the same MNIST rows,
/// side by side in one process: rounds alternate which engine goes first and use seeds 0, 1, ... Prints per round
///   engines round=0 engine=managed arch=784-512-256-2 threads=1 rows=10000 epochs=2 rows_per_s=... test_nelbo=...
/// and per engine the median over the rounds
///   engines median engine=torchsharp arch=... threads=1 rows_per_s=... test_nelbo=... managed_ratio=...
/// (managed_ratio: the median over rounds of managed rows/s divided by this engine's). rows/s counts training steps
/// only, as the epoch reports do. Options: --data DIR, --rows 10000 (training rows, from the start of MNIST's training
/// set), --test-rows 2000, --hidden 512,256, --latent 2, --epochs 2, --batch 128, --threads 1, --rounds 5.
/// </summary>
internal static class EngineComparisonBenchmark
{
    public static int Run(string[] args)
    {
        Dictionary<string, string> options = BenchmarkOptions.Parse(args);
        int Int(string name, int value) => int.Parse(options.GetValueOrDefault(name, value.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        int[] hidden = [.. options.GetValueOrDefault("hidden", "512,256").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
        int rounds = Int("rounds", 5);
        int threads = Int("threads", 1);

        MnistPaths paths = MnistFiles.Ensure(options.GetValueOrDefault("data"), message => Console.Error.WriteLine(message));
        FeatureMatrix train = MnistData.LoadTrain(paths, Int("rows", 10_000)).Images.ToFeatureMatrix();
        FeatureMatrix test = MnistData.LoadTest(paths, Int("test-rows", 2_000)).Images.ToFeatureMatrix();
        var baseOptions = new VaeOptions
        {
            HiddenLayers = hidden,
            LatentDimension = Int("latent", 2),
            ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
            Scaling = FeatureScaling.None, // pixels are in [0, 1] already
            Epochs = Int("epochs", 2),
            BatchSize = Int("batch", 128),
            ThreadCount = threads,
        };
        string arch = string.Join('-', new[] { train.ColumnCount }.Concat(hidden).Append(baseOptions.LatentDimension));
        (string Name, IVaeTrainingEngine? Engine)[] engines = [("managed", null), ("torchsharp", new TorchSharpTrainingEngine())];

        var results = engines.ToDictionary(e => e.Name, _ => new List<(double RowsPerSecond, double TestNelbo)>());
        for (int round = 0; round < rounds; round++)
        {
            foreach ((string name, IVaeTrainingEngine? engine) in round % 2 == 0 ? engines : engines.Reverse())
            {
                VaeTransformer model = new VaeEstimator(baseOptions with { Seed = round, TrainingEngine = engine }).Fit(train);
                double seconds = model.TrainingSummary.History.Sum(h => train.RowCount / h.SamplesPerSecond);
                double rowsPerSecond = baseOptions.Epochs * train.RowCount / seconds;
                double nelbo = model.Evaluate(test, sampleLatent: true, seed: 1).NegativeElbo;
                results[name].Add((rowsPerSecond, nelbo));
                Console.WriteLine(FormattableString.Invariant(
                    $"engines round={round} engine={name} arch={arch} threads={threads} rows={train.RowCount} epochs={baseOptions.Epochs} rows_per_s={rowsPerSecond:F0} test_nelbo={nelbo:F2}"));
            }
        }

        foreach ((string name, _) in engines)
        {
            List<(double RowsPerSecond, double TestNelbo)> r = results[name];
            double ratio = Median(r.Select((x, i) => results["managed"][i].RowsPerSecond / x.RowsPerSecond));
            Console.WriteLine(FormattableString.Invariant(
                $"engines median engine={name} arch={arch} threads={threads} rows_per_s={Median(r.Select(x => x.RowsPerSecond)):F0} test_nelbo={Median(r.Select(x => x.TestNelbo)):F2} managed_ratio={ratio:F2}"));
        }

        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
