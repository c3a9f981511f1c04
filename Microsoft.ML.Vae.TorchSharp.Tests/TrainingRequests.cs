using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.TorchSharp.Tests;

/// <summary>Training requests as the estimator builds them: rows scaled by a fitted scaler, then split and initialized.</summary>
internal static class TrainingRequests
{
    public static VaeTrainingRequest Create(float[][] rows, VaeOptions options)
    {
        FeatureMatrix matrix = FeatureMatrix.FromRows(rows);
        FeatureScaler scaler = FeatureScaler.Fit(matrix, options.Scaling);
        var scaled = new float[matrix.RowCount * matrix.ColumnCount];
        scaler.Transform(matrix.Values.Span, scaled, matrix.RowCount);
        var layout = new NetworkLayout(matrix.ColumnCount, options.LatentDimension, options.HiddenLayers, options.ReconstructionLoss);
        return VaeTrainingRequest.Create(options, layout, scaled, matrix.RowCount);
    }

    /// <summary>A small, fast model on one thread.</summary>
    public static VaeOptions Options(ReconstructionLoss loss = ReconstructionLoss.BinaryCrossEntropy) => new()
    {
        HiddenLayers = [16, 8],
        LatentDimension = 2,
        ReconstructionLoss = loss,
        Scaling = loss == ReconstructionLoss.SquaredError ? FeatureScaling.Standard : FeatureScaling.MinMax,
        Epochs = 4,
        BatchSize = 32,
        LearningRate = 3e-3f,
        Contamination = 0.05f,
        Seed = 5,
        ThreadCount = 1,
    };
}
