using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Vae;

// A CSV of 2,000 readings from six correlated sensors; every 100th reading is faulty (label 1).
var random = new Random(42);
var lines = new List<string> { "temperature,pressure,vibration,current,voltage,speed,label" };
for (int i = 0; i < 2000; i++)
{
    bool faulty = i % 100 == 0;
    double load = random.NextDouble(), wear = random.NextDouble();
    double[] values = faulty
        ? Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 3).ToArray()
        : [load + wear, 2 * load, wear * wear, load - wear, 1 - load, wear];
    string noisy = string.Join(",", values.Select(v => (v + 0.02 * random.NextDouble()).ToString("F4", CultureInfo.InvariantCulture)));
    lines.Add($"{noisy},{(faulty ? 1 : 0)}");
}

File.WriteAllLines("sensors.csv", lines);

var ml = new MLContext(seed: 0);
IDataView data = ml.Data.LoadFromTextFile<SensorReading>("sensors.csv", separatorChar: ',', hasHeader: true);

var pipeline = ml.Transforms.Concatenate("Features", "Temperature", "Pressure", "Vibration", "Current", "Voltage", "Speed")
    .Append(ml.Transforms.Vae(new VaeOptions
    {
        HiddenLayers = [32, 16],
        LatentDimension = 2,
        ReconstructionLoss = ReconstructionLoss.SquaredError,
        Scaling = FeatureScaling.Standard,
        Epochs = 30,
        Contamination = 0.01f,
    }));
var model = pipeline.Fit(data);

// Scoring adds LatentMean, LatentLogVariance, Reconstruction, ReconstructionError, Score and PredictedLabel.
IDataView scored = model.Transform(data);
var metrics = ml.AnomalyDetection.Evaluate(scored);
Console.WriteLine($"ROC-AUC {metrics.AreaUnderRocCurve:F3}, detection rate at 10 false positives {metrics.DetectionRateAtFalsePositiveCount:F2}");

var engine = ml.Model.CreatePredictionEngine<SensorReading, SensorScore>(model);
SensorScore reading = engine.Predict(new SensorReading { Temperature = 0.9f, Pressure = 0.1f, Vibration = 2.5f, Current = 0.2f, Voltage = 0.4f, Speed = 0.1f });
Console.WriteLine($"one reading: score {reading.Score:F3}, anomaly {reading.PredictedLabel}, latent ({reading.LatentMean[0]:F2}, {reading.LatentMean[1]:F2})");

ml.Model.Save(model, data.Schema, "sensors-model.zip");

public sealed class SensorReading
{
    [LoadColumn(0)] public float Temperature { get; set; }
    [LoadColumn(1)] public float Pressure { get; set; }
    [LoadColumn(2)] public float Vibration { get; set; }
    [LoadColumn(3)] public float Current { get; set; }
    [LoadColumn(4)] public float Voltage { get; set; }
    [LoadColumn(5)] public float Speed { get; set; }
    [LoadColumn(6)] public float Label { get; set; }
}

public sealed class SensorScore
{
    public float Score { get; set; }
    public bool PredictedLabel { get; set; }
    public float[] LatentMean { get; set; } = [];
}
