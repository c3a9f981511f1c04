using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.Tests;
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

    /// <summary>The tests' small, fast model on one thread; squared error on standardized features.</summary>
    public static VaeOptions Options(ReconstructionLoss loss = ReconstructionLoss.BinaryCrossEntropy) => TestModels.Options(loss) with
    {
        Scaling = loss == ReconstructionLoss.SquaredError ? FeatureScaling.Standard : FeatureScaling.MinMax,
        Epochs = 4,
    };
}
