namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// What <c>vae train</c> uses when settings are not given: the library's anomaly-detection preset
/// (<see cref="VaeOptions.ForAnomalyDetection"/>), with the loss, the scaling and the hidden layers chosen from the data,
/// because the library's own defaults (binary cross-entropy with min-max scaling, 512-256) suit images and make the
/// posterior collapse on continuous tabular data. The one place to change them.
/// </summary>
internal static class TrainingDefaults
{
    /// <summary>
    /// Share of values that must be exactly 0 or 1 (with all of them in [0, 1]) for data to count as pixel-like:
    /// images have many black and white pixels, one-hot and binary columns are all 0 or 1, and a table of
    /// continuous values rescaled to [0, 1] has almost none.
    /// </summary>
    public const double PixelLikeShare = 0.5;

    /// <summary>The defaults of every setting not chosen from the data: the anomaly-detection preset.</summary>
    public static VaeOptions Preset => VaeOptions.ForAnomalyDetection();

    /// <summary>
    /// The settings for data of <paramref name="featureCount"/> columns: for pixel-like data (<see cref="IsPixelLike"/>),
    /// binary cross-entropy with min-max scaling and hidden layers from <see cref="HiddenLayers"/>; for tabular data the
    /// preset as it is (Gaussian decoder, min-max scaling, 64-32), or, on an engine without the Gaussian decoder
    /// (TorchSharp's, <paramref name="managedEngine"/> false), squared error with standard scaling.
    /// </summary>
    public static VaeOptions For(int featureCount, bool pixelLike, bool managedEngine = true) => pixelLike
        ? Preset with { ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy, Scaling = FeatureScaling.MinMax, HiddenLayers = HiddenLayers(featureCount) }
        : managedEngine
            ? Preset
            : Preset with { ReconstructionLoss = ReconstructionLoss.SquaredError, Scaling = FeatureScaling.Standard };

    /// <summary>
    /// Two layers, the first the power of two at or above twice the feature count (at least 16, at most 512), the
    /// second half of it: 8 features give 16-8, 30 give 64-32, 784 give 512-256 (the seed's MNIST model).
    /// </summary>
    public static int[] HiddenLayers(int featureCount)
    {
        int first = (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Min(featureCount, 1 << 20) * 2), 16, 512);
        return [first, first / 2];
    }

    /// <summary>All values in [0, 1] and at least <see cref="PixelLikeShare"/> of them exactly 0 or 1.</summary>
    public static bool IsPixelLike(ReadOnlySpan<float> values)
    {
        long binary = 0;
        foreach (float value in values)
        {
            if (value is < 0f or > 1f)
            {
                return false;
            }

            if (value is 0f or 1f)
            {
                binary++;
            }
        }

        return values.Length > 0 && binary >= PixelLikeShare * values.Length;
    }
}
