using System.Globalization;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// GFLOP/s of <see cref="Gemm"/> on the dense-layer products of the reference models (784-512-256-2 and 784-400-20),
/// at batch 128 (training: forward NN, input gradient NT, weight gradient TN) and 1024 (scoring: NN).
/// Options: --threads 1,2 (thread counts), --forms NN,NT,TN (restrict forms), --batches 128,1024,
/// --kernel Best|Vector512|Vector256|Scalar (force a kernel family), --openblas SCRIPT [--python PATH] (also time OpenBLAS through benchmarks/gemm_openblas.py, right after each of ours).
/// Prints: gemm shape=BxIxO form=NN threads=1 m=.. n=.. k=.. gflops=.. us=.. best_gflops=.. (gflops and us: median);
/// with --openblas also "openblas ..." (same keys) and "ratio ... ratio=ours/openblas best_ratio=..".
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
        GemmKernelKind kernel = Enum.Parse<GemmKernelKind>(Option(args, "--kernel", nameof(GemmKernelKind.Best)), ignoreCase: true);
        string? openBlasScript = args.Contains("--openblas") ? Option(args, "--openblas", "") : null;
        string python = Option(args, "--python", "python3");
        var pools = threadCounts.ToDictionary(t => t, t => t == 1 ? null : new WorkerPool(t));
        var references = threadCounts.ToDictionary(
            t => t, t => openBlasScript is null ? null : new OpenBlasReference(python, openBlasScript, t));
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
                            "NN" => (batch, outputs, inputs, (Action)(() => Gemm.Multiply(false, false, batch, outputs, inputs, x, w, y, false, pool, kernel))),
                            "NT" => (batch, inputs, outputs, () => Gemm.Multiply(false, true, batch, inputs, outputs, dy, w, dx, false, pool, kernel)),
                            "TN" => (inputs, outputs, batch, () => Gemm.Multiply(true, false, inputs, outputs, batch, x, dy, dw, false, pool, kernel)),
                            _ => throw new ArgumentException($"Unknown form '{form}': use NN, NT or TN."),
                        };
                        (double median, double best) = Measurement.Seconds(action);
                        double flops = 2.0 * m * n * k;
                        string common = $"shape={batch}x{inputs}x{outputs} form={form} threads={threads}";
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"gemm {common} m={m} n={n} k={k} gflops={flops / median / 1e9:F2} us={median * 1e6:F2} best_gflops={flops / best / 1e9:F2}"));
                        if (references[threads] is { } reference)
                        {
                            (double blasMedian, double blasBest) = reference.Measure(batch, inputs, outputs, form);
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"openblas {common} m={m} n={n} k={k} gflops={flops / blasMedian / 1e9:F2} us={blasMedian * 1e6:F2} best_gflops={flops / blasBest / 1e9:F2}"));
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"ratio {common} ours={flops / median / 1e9:F2} openblas={flops / blasMedian / 1e9:F2} ratio={blasMedian / median:F2} best_ratio={blasBest / best:F2}"));
                        }
                    }
                }
            }
        }

        foreach (WorkerPool? pool in pools.Values)
        {
            pool?.Dispose();
        }

        foreach (OpenBlasReference? reference in references.Values)
        {
            reference?.Dispose();
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
