using System.Globalization;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// GFLOP/s of <see cref="Gemm"/> on the dense-layer products of the reference models (784-512-256-2 and 784-400-20),
/// at batch 128 (training: forward NN, input gradient NT, weight gradient TN) and 1024 (scoring: NN).
/// Options: --threads 1,2 (thread counts), --forms NN,NT,TN (restrict forms), --batches 128,1024.
/// Prints: gemm shape=BxIxO form=NN threads=1 m=.. n=.. k=.. gflops=.. us=..
/// </summary>
internal static class GemmBenchmark
{
    // Layers (inputs, outputs) of both models, each once.
    private static readonly (int In, int Out)[] Layers =
    [
        (784, 512), (512, 256), (256, 2), (2, 256), (256, 512), (512, 784),
        (784, 400), (400, 20), (20, 400), (400, 784),
    ];

    public static int Run(string[] args)
    {
        int[] threadCounts = Option(args, "--threads", "1,2").Split(',').Select(int.Parse).ToArray();
        string[] forms = Option(args, "--forms", "NN,NT,TN").Split(',');
        int[] batches = Option(args, "--batches", "128,1024").Split(',').Select(int.Parse).ToArray();
        var pools = threadCounts.ToDictionary(t => t, t => t == 1 ? null : new WorkerPool(t));
        var random = new Random(1);
        foreach (int batch in batches)
        {
            foreach ((int inputs, int outputs) in Layers)
            {
                float[] x = Fill(random, batch * inputs), w = Fill(random, inputs * outputs), dy = Fill(random, batch * outputs);
                float[] y = new float[batch * outputs], dx = new float[batch * inputs], dw = new float[inputs * outputs];
                foreach (string form in forms)
                {
                    // Scoring runs only the forward product.
                    if (batch > 128 && form != "NN")
                    {
                        continue;
                    }

                    foreach (int threads in threadCounts)
                    {
                        WorkerPool? pool = pools[threads];
                        (int m, int n, int k, Action action) = form switch
                        {
                            "NN" => (batch, outputs, inputs, (Action)(() => Gemm.Multiply(false, false, batch, outputs, inputs, x, w, y, false, pool))),
                            "NT" => (batch, inputs, outputs, () => Gemm.Multiply(false, true, batch, inputs, outputs, dy, w, dx, false, pool)),
                            "TN" => (inputs, outputs, batch, () => Gemm.Multiply(true, false, inputs, outputs, batch, x, dy, dw, false, pool)),
                            _ => throw new ArgumentException($"Unknown form '{form}': use NN, NT or TN."),
                        };
                        double seconds = Measurement.MedianSeconds(action);
                        double gflops = 2.0 * m * n * k / seconds / 1e9;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"gemm shape={batch}x{inputs}x{outputs} form={form} threads={threads} m={m} n={n} k={k} gflops={gflops:F2} us={seconds * 1e6:F2}"));
                    }
                }
            }
        }

        foreach (WorkerPool? pool in pools.Values)
        {
            pool?.Dispose();
        }

        return 0;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }
}
