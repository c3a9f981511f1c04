using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// Everything an <see cref="IVaeTrainingEngine"/> needs, prepared by the estimator: the options, the network layout,
/// the scaled rows with their split into training and validation rows, and the initial weights (Glorot-uniform from
/// <see cref="VaeOptions.Seed"/>, zero biases; for the Gaussian decoder, its log-variances from the scaled columns'
/// mean squares), so that every engine starts from the same point.
/// </summary>
public sealed class VaeTrainingRequest
{
    private VaeTrainingRequest(VaeOptions options, NetworkLayout layout, float[] rows, int rowCount, int[] trainingRows, int[] validationRows, float[] initialParameters)
    {
        Options = options;
        Layout = layout;
        Rows = rows;
        RowCount = rowCount;
        TrainingRows = trainingRows;
        ValidationRows = validationRows;
        InitialParameters = initialParameters;
        BatchSize = Math.Min(options.BatchSize, trainingRows.Length);
    }

    /// <summary>The training settings.</summary>
    public VaeOptions Options { get; }

    /// <summary>The network to train and the layout of its flat parameter buffer.</summary>
    public NetworkLayout Layout { get; }

    /// <summary>The scaled rows, row-major [<see cref="RowCount"/>, <see cref="NetworkLayout.FeatureCount"/>]; read-only.</summary>
    public ReadOnlyMemory<float> Rows { get; }

    /// <summary>The number of rows in <see cref="Rows"/>.</summary>
    public int RowCount { get; }

    /// <summary>Indices into <see cref="Rows"/> of the rows to take gradient steps on.</summary>
    public ReadOnlyMemory<int> TrainingRows { get; }

    /// <summary>Indices into <see cref="Rows"/> of the validation rows (empty without a validation split).</summary>
    public ReadOnlyMemory<int> ValidationRows { get; }

    /// <summary>The weights to start from, in the flat layout of <see cref="Layout"/>; read-only.</summary>
    public ReadOnlyMemory<float> InitialParameters { get; }

    /// <summary>Rows per step: the option, or all training rows when there are fewer.</summary>
    internal int BatchSize { get; }

    /// <summary>Splits off the validation rows and draws the initial weights, both from the options' seed.</summary>
    internal static VaeTrainingRequest Create(VaeOptions options, NetworkLayout layout, float[] scaled, int rowCount)
    {
        (int[] validation, int[] training) = VaeTrainer.SplitValidation(rowCount, options.ValidationFraction, options.Seed);
        float[] initial = VaeNetwork.CreateInitialized(layout, new DeterministicRandom(options.Seed)).Parameters;
        if (layout.Loss == ReconstructionLoss.Gaussian)
        {
            DecoderVariance.Initialize(scaled, rowCount, initial.AsSpan(layout.OutputLogVarianceOffset, layout.FeatureCount));
        }
        return new VaeTrainingRequest(options, layout, scaled, rowCount, training, validation, initial);
    }
}
