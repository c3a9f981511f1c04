namespace Microsoft.ML.Vae.Onnx;

/// <summary>
/// The names an exported VaeMl ONNX model promises (shared by the exporter, the scorer and the docs):
/// input <c>Features</c> float [N, F]; outputs LatentMean, LatentLogVariance [N, L], Reconstruction [N, F],
/// ReconstructionError, Score float [N], PredictedLabel bool [N]; metadata properties under the keys below.
/// </summary>
internal static class OnnxContract
{
    public const string BatchDimension = "N";

    public const string Features = "Features";
    public const string LatentMean = "LatentMean";
    public const string LatentLogVariance = "LatentLogVariance";
    public const string Reconstruction = "Reconstruction";
    public const string ReconstructionError = "ReconstructionError";
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>Output names in the order the scorer's batch method takes their buffers.</summary>
    public static readonly string[] Outputs = [LatentMean, LatentLogVariance, Reconstruction, ReconstructionError, Score, PredictedLabel];

    public const string Producer = "VaeMl";

    // Metadata property keys.
    public const string ProducerKey = "producer";
    public const string LibraryVersionKey = "library_version";
    public const string ThresholdKey = "threshold";
    public const string FeatureCountKey = "feature_count";
    public const string LatentDimensionKey = "latent_dimension";
    public const string ReconstructionLossKey = "reconstruction_loss";
    public const string ScalingKey = "scaling";
    public const string ScoreKindKey = "score_kind";
    public const string EnsembleSizeKey = "ensemble_size";
}
