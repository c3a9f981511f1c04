using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Vae.Data;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// `onnx`: rows per second scoring a 784-512-256-2 VAE (MNIST-sized) at batch 1024, the managed batch path
/// (VaeTransformer.Transform over spans) against ONNX Runtime on the exported graph (OnnxVaeScorer), all six outputs,
/// plus the largest difference between the two. Weights are from one short epoch: throughput does not depend on them.
/// Option: seconds per measurement (default 3).
/// </summary>
internal static class OnnxThroughputBenchmark
{
    public static int Run(string[] args)
    {
        const int features = 784, batch = 1024;
        int seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;

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
        void Managed() => model.Transform(x, managed.LatentMean, managed.LatentLogVariance, managed.Reconstruction, managed.ReconstructionError, managed.Score, managed.PredictedLabel);

        Console.WriteLine($"784-512-256-2 VAE, batch {batch}, {Environment.ProcessorCount} cores, {seconds} s per measurement");
        Report("managed batch path (VaeTransformer.Transform)", Measure(Managed));
        foreach (int threads in new[] { 1, 0 })
        {
            using var scorer = new OnnxVaeScorer(onnx, threads);
            void Runtime() => scorer.Score(x, runtime.LatentMean, runtime.LatentLogVariance, runtime.Reconstruction, runtime.ReconstructionError, runtime.Score, runtime.PredictedLabel);
            Report($"ONNX Runtime 1.30 (OnnxVaeScorer, intra-op threads {(threads == 0 ? "default" : threads.ToString(CultureInfo.InvariantCulture))})", Measure(Runtime));
        }

        Managed();
        using (var scorer = new OnnxVaeScorer(onnx))
        {
            scorer.Score(x, runtime.LatentMean, runtime.LatentLogVariance, runtime.Reconstruction, runtime.ReconstructionError, runtime.Score, runtime.PredictedLabel);
        }

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
        Console.WriteLine($"largest |managed - runtime| over all outputs: {largest:E2} ({toleranceUsed:P0} of the tests' tolerance 1e-6 + 1e-5·|managed|); label mismatches: {labelMismatches}");

        double Measure(Action score)
        {
            for (int i = 0; i < 3; i++)
            {
                score();
            }

            long rows = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                score();
                rows += batch;
            }

            return rows / clock.Elapsed.TotalSeconds;
        }

        void Report(string what, double rowsPerSecond) => Console.WriteLine($"{what,-62} {rowsPerSecond,12:N0} rows/s");
        return 0;
    }
}
