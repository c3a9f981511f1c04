using Microsoft.ML.Vae.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/Microsoft.ML.Vae.Benchmarks -- <benchmark> [options]
// Each benchmark prints one machine-readable line per measurement ("<benchmark> key=value ...").
var benchmarks = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["anomaly"] = AnomalyBenchmark.Run,
    ["gemm"] = GemmBenchmark.Run,
    ["mnist"] = MnistTrainingBenchmark.Run,
    ["mnist-path"] = MnistPathCommand.Run,
    ["mlnet"] = MlNetThroughputBenchmark.Run,
    ["onnx"] = OnnxThroughputBenchmark.Run,
    ["engines"] = EngineComparisonBenchmark.Run,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out Func<string[], int>? run))
{
    Console.Error.WriteLine($"usage: Microsoft.ML.Vae.Benchmarks <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}

return run(args[1..]);
