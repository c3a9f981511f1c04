using Microsoft.ML.Vae;

namespace VaeMl.Examples.Quickstart;

/// <summary>The README's quick start, compiled here and run by a test.</summary>
public static class QuickstartSample
{
    /// <summary>Trains on generated rows with a few planted anomalies and returns the model and its predictions.</summary>
    public static (VaeTransformer Model, VaePrediction[] Predictions) Run(int rowCount = 2000, int epochs = 30)
    {
        // #region quickstart
        // 2,000 rows of 10 correlated features; every 100th row is an anomaly.
        var random = new Random(42);
        float[][] rows = new float[rowCount][];
        for (int i = 0; i < rowCount; i++)
        {
            double t = random.NextDouble() * 2 * Math.PI;
            rows[i] = Enumerable.Range(0, 10)
                .Select(f => i % 100 == 0 ? (float)random.NextDouble() * 3 : (float)(Math.Sin(t + f) + 0.05 * random.NextDouble()))
                .ToArray();
        }

        var estimator = new VaeEstimator(new VaeOptions
        {
            HiddenLayers = [64, 32],
            LatentDimension = 2,
            ReconstructionLoss = ReconstructionLoss.SquaredError,
            Scaling = FeatureScaling.Standard,
            Epochs = epochs,
            Contamination = 0.01f,
        });
        VaeTransformer model = estimator.Fit(rows);

        VaePrediction[] predictions = model.Transform(rows);
        foreach (var (p, row) in predictions.Select((p, row) => (p, row)).OrderByDescending(x => x.p.Score).Take(5))
        {
            Console.WriteLine($"row {row,5}  score {p.Score:F4}  anomaly {p.PredictedLabel}");
        }

        model.Save("quickstart.vae");
        // #endregion
        return (model, predictions);
    }
}
