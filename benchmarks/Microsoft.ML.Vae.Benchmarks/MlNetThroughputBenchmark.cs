using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// `mlnet`: rows per second of the ways an ML.NET user scores with a trained VAE, side by side on the same model, in
/// interleaved rounds (medians over the rounds, and the per-round ratio's median):
/// <list type="bullet">
/// <item><c>array</c>: <c>VaeTransformer.Transform(float[][])</c>, all six outputs as <c>VaePrediction</c>s;</item>
/// <item><c>dataview</c>: <c>Transform(IDataView)</c> over an in-memory data view, a cursor reading all six columns;</item>
/// <item><c>dataview_score</c>: the same, reading <c>Score</c> only (a batch anomaly job);</item>
/// <item><c>engine</c>: <c>PredictionEngine</c> over the transformer, one row per call;</item>
/// <item><c>onnx_engine</c> and <c>onnx_dataview</c>: ML.NET's <c>ApplyOnnxModel</c> on the model's ONNX export.</item>
/// </list>
/// Options: <c>--rows N</c> (100000), <c>--engine-rows N</c> (10000), <c>--rounds N</c> (5), <c>--arch 784-512-256-2</c>.
/// Weights come from one short epoch: throughput does not depend on them.
/// </summary>
internal static class MlNetThroughputBenchmark
{
    public static int Run(string[] args)
    {
        int rowCount = Option(args, "--rows", 100_000), engineRows = Option(args, "--engine-rows", 10_000), rounds = Option(args, "--rounds", 5);
        string arch = args.SkipWhile(a => a != "--arch").Skip(1).FirstOrDefault() ?? "784-512-256-2";
        int[] widths = arch.Split('-').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        int features = widths[0], latent = widths[^1];

        var random = new Random(1);
        float[][] rows = new float[rowCount][];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = new float[features];
            for (int c = 0; c < features; c++)
            {
                rows[r][c] = (float)random.NextDouble();
            }
        }

        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        IDataView data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }).ToArray(), definition);
        IDataView engineData = ml.Data.LoadFromEnumerable(rows.Take(engineRows).Select(r => new Row { Features = r }).ToArray(), definition);

        var options = new VaeOptions { LatentDimension = latent, HiddenLayers = widths[1..^1], Epochs = 1, Seed = 1 };
        VaeTransformer model = ml.Transforms.Vae(options).Fit(ml.Data.TakeRows(data, 2048));
        using var onnxStream = new MemoryStream();
        model.ExportOnnx(onnxStream);
        string[] outputs = ["LatentMean", "LatentLogVariance", "Reconstruction", "ReconstructionError", "Score", "PredictedLabel"];
        onnxStream.Position = 0;
        ITransformer onnx = ml.Transforms.ApplyOnnxModel(outputs, ["Features"], onnxStream).Fit(data);

        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model, inputSchemaDefinition: definition);
        var onnxEngine = ml.Model.CreatePredictionEngine<Row, OnnxPrediction>(onnx, inputSchemaDefinition: definition);
        Row[] engineInputs = rows.Take(engineRows).Select(r => new Row { Features = r }).ToArray();

        var measurements = new (string Name, int Rows, Action Run)[]
        {
            ("array", rowCount, () => model.Transform(rows)),
            ("dataview", rowCount, () => ReadAll(model.Transform(data), outputs)),
            ("dataview_score", rowCount, () => ReadAll(model.Transform(data), ["Score"])),
            ("engine", engineRows, () => Array.ForEach(engineInputs, row => engine.Predict(row))),
            ("onnx_engine", engineRows, () => Array.ForEach(engineInputs, row => onnxEngine.Predict(row))),
            ("onnx_dataview", engineRows, () => ReadAll(onnx.Transform(engineData), outputs)),
        };

        var rates = measurements.ToDictionary(m => m.Name, _ => new List<double>());
        foreach (var (_, _, run) in measurements)
        {
            run(); // warm-up: compiles every path once before any round is timed
        }

        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, count, run) in measurements)
            {
                long start = Stopwatch.GetTimestamp();
                run();
                rates[name].Add(count / Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }

        string Median(string name) => Measurement.Median(rates[name]).ToString("F0", CultureInfo.InvariantCulture);
        string Ratio(string a, string b) => Measurement.Median(rates[a].Zip(rates[b], (x, y) => x / y).ToList()).ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine(
            $"mlnet arch={arch} rows={rowCount} engine_rows={engineRows} rounds={rounds} cores={Environment.ProcessorCount} " +
            $"array_rows_per_s={Median("array")} dataview_rows_per_s={Median("dataview")} dataview_score_rows_per_s={Median("dataview_score")} " +
            $"engine_rows_per_s={Median("engine")} onnx_engine_rows_per_s={Median("onnx_engine")} onnx_dataview_rows_per_s={Median("onnx_dataview")} " +
            $"dataview_vs_array={Ratio("dataview", "array")} dataview_score_vs_array={Ratio("dataview_score", "array")} " +
            $"engine_vs_onnx_engine={Ratio("engine", "onnx_engine")} dataview_vs_onnx_dataview={Ratio("dataview", "onnx_dataview")}");
        return 0;
    }

    /// <summary>Moves one cursor over <paramref name="scored"/>, reading every named column of every row.</summary>
    private static void ReadAll(IDataView scored, string[] columns)
    {
        DataViewSchema.Column[] active = columns.Select(c => scored.Schema[c]).ToArray();
        using DataViewRowCursor cursor = scored.GetRowCursor(active);
        var readers = active.Select(c => Reader(cursor, c)).ToArray();
        while (cursor.MoveNext())
        {
            foreach (Action read in readers)
            {
                read();
            }
        }
    }

    private static Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType vector)
        {
            if (vector.ItemType == BooleanDataViewType.Instance)
            {
                var flags = cursor.GetGetter<VBuffer<bool>>(column);
                VBuffer<bool> flag = default;
                return () => flags(ref flag);
            }

            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            return () => getter(ref value);
        }

        if (column.Type == BooleanDataViewType.Instance)
        {
            var labels = cursor.GetGetter<bool>(column);
            bool label = false;
            return () => labels(ref label);
        }

        var scalars = cursor.GetGetter<float>(column);
        float scalar = 0;
        return () => scalars(ref scalar);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float[] LatentMean { get; set; } = [];

        public float[] LatentLogVariance { get; set; } = [];

        public float[] Reconstruction { get; set; } = [];

        public float ReconstructionError { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }

    /// <summary>ApplyOnnxModel's per-row outputs come back as 1-element vectors.</summary>
    private sealed class OnnxPrediction
    {
        public float[] LatentMean { get; set; } = [];

        public float[] LatentLogVariance { get; set; } = [];

        public float[] Reconstruction { get; set; } = [];

        public float[] ReconstructionError { get; set; } = [];

        public float[] Score { get; set; } = [];

        public bool[] PredictedLabel { get; set; } = [];
    }
}
