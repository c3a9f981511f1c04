using System.Globalization;
using Microsoft.ML.Vae.Data;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// `onnx`: rows per second scoring a 784-512-256-2 VAE (MNIST-sized) at batch 1024, all six outputs: the managed batch
/// path (VaeTransformer.Transform over spans) against ONNX Runtime on the exported graph (OnnxVaeScorer, on one
/// intra-op thread and on the runtime's default), plus the largest difference between the two. Weights are from one
/// short epoch: throughput does not depend on them.
/// Option: --rounds N (default 5). The paths take turns within each round (in reverse every other round); each
/// measurement is the median of 21 samples of at least 50 ms after 0.5 s of warm-up (<see cref="Measurement.Seconds"/>).
/// Prints per round: onnx round=R path=P threads=T rows_per_s=..; then per path:
/// onnx summary path=P threads=T rows_per_s=(median over rounds) min=.. max=..
/// </summary>
internal static class OnnxThroughputBenchmark
{
    public static int Run(string[] args)
    {
        const int features = 784, batch = 1024;
        int at = Array.IndexOf(args, "--rounds");
        int rounds = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 5;

        var random = new Random(1);
        float[][] training = new float[512][];
        for (int r = 0; r < training.Length; r++)
        {
            training[r] = new float[features];
            for (int c = 0; c < features; c++)
            {
                training[r][c] = (float)random.NextDouble();
            }
        }

        var options = new VaeOptions { LatentDimension = 2, HiddenLayers = [512, 256], Epochs = 1, Seed = 1 };
        VaeTransformer model = new VaeEstimator(options).Fit(training);
        using var stream = new MemoryStream();
        model.ExportOnnx(stream);
        byte[] onnx = stream.ToArray();

        float[] x = new float[batch * features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        PredictionBuffers managed = new(batch, features, 2), runtime = new(batch, features, 2);
        using OnnxVaeScorer oneThread = new(onnx, 1), defaultThreads = new(onnx, 0);
        var paths = new (string Path, string Threads, Action Score)[]
        {
            ("managed", "default", () => model.Transform(x, managed.LatentMean, managed.LatentLogVariance, managed.Reconstruction, managed.ReconstructionError, managed.Score, managed.PredictedLabel)),
            ("onnxruntime", "1", () => oneThread.Score(x, runtime.LatentMean, runtime.LatentLogVariance, runtime.Reconstruction, runtime.ReconstructionError, runtime.Score, runtime.PredictedLabel)),
            ("onnxruntime", "default", () => defaultThreads.Score(x, runtime.LatentMean, runtime.LatentLogVariance, runtime.Reconstruction, runtime.ReconstructionError, runtime.Score, runtime.PredictedLabel)),
        };

        Console.WriteLine(FormattableString.Invariant($"onnx model=784-512-256-2 batch={batch} cores={Environment.ProcessorCount} rounds={rounds} runtime={Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}"));
        var rowsPerSecond = new double[paths.Length][];
        for (int p = 0; p < paths.Length; p++)
        {
            rowsPerSecond[p] = new double[rounds];
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < paths.Length; k++)
            {
                // Every other round runs the paths in reverse, so none always follows the same neighbour.
                int p = round % 2 == 0 ? k : paths.Length - 1 - k;
                (double median, _) = Measurement.Seconds(paths[p].Score, minSampleSeconds: 0.05, warmUpSeconds: 0.5);
                rowsPerSecond[p][round] = batch / median;
                Console.WriteLine(FormattableString.Invariant($"onnx round={round + 1} path={paths[p].Path} threads={paths[p].Threads} rows_per_s={batch / median:F0}"));
            }
        }

        for (int p = 0; p < paths.Length; p++)
        {
            double[] sorted = [.. rowsPerSecond[p].Order()];
            Console.WriteLine(FormattableString.Invariant(
                $"onnx summary path={paths[p].Path} threads={paths[p].Threads} rows_per_s={sorted[rounds / 2]:F0} min={sorted[0]:F0} max={sorted[^1]:F0}"));
        }

        paths[0].Score();
        paths[2].Score();
        double largest = 0, toleranceUsed = 0;
        void Compare(float[] a, float[] b)
        {
            for (int i = 0; i < a.Length; i++)
            {
                double d = Math.Abs(a[i] - b[i]);
                largest = Math.Max(largest, d);
                toleranceUsed = Math.Max(toleranceUsed, d / (1e-6 + (1e-5 * Math.Abs(a[i]))));
            }
        }

        Compare(managed.LatentMean, runtime.LatentMean);
        Compare(managed.LatentLogVariance, runtime.LatentLogVariance);
        Compare(managed.Reconstruction, runtime.Reconstruction);
        Compare(managed.ReconstructionError, runtime.ReconstructionError);
        Compare(managed.Score, runtime.Score);
        int labelMismatches = managed.PredictedLabel.Zip(runtime.PredictedLabel).Count(p => p.First != p.Second);
        // tolerance_used: the largest difference as a fraction of the tests' tolerance 1e-6 + 1e-5·|managed|.
        Console.WriteLine(FormattableString.Invariant($"onnx difference largest={largest:E2} tolerance_used={toleranceUsed:F2} label_mismatches={labelMismatches}"));
        return 0;
    }
}
