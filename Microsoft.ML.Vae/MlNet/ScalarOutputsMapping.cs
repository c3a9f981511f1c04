using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// Part of a model saved with <c>mlContext.Model.Save</c> (see <see cref="MlNetModelRoute"/>): ML.NET's ONNX transformer
/// gives the per-row error, score and label as 1-element vectors, and this mapping turns them into the scalar
/// <c>Single</c> and <c>Boolean</c> columns that <c>mlContext.AnomalyDetection.Evaluate</c> reads. Stateless, so ML.NET
/// can rebuild it on load from the contract name alone.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ScalarOutputsMapping : CustomMappingFactory<ScalarOutputsMapping.Vectors, ScalarOutputsMapping.Scalars>
{
    public const string ContractName = "Microsoft.ML.Vae.ScalarOutputs";

    /// <summary>Columns of the ONNX transformer's 1-element outputs.</summary>
    public const string ErrorVector = "vaeml_row_ReconstructionError", ScoreVector = "vaeml_row_Score", LabelVector = "vaeml_row_PredictedLabel";

    /// <summary>Columns of the scalars, copied to the user's column names after the mapping.</summary>
    public const string ErrorScalar = "vaeml_ReconstructionError", ScoreScalar = "vaeml_Score", LabelScalar = "vaeml_PredictedLabel";

    public override Action<Vectors, Scalars> GetMapping() => Map;

    private static void Map(Vectors vectors, Scalars scalars)
    {
        scalars.ReconstructionError = vectors.ReconstructionError[0];
        scalars.Score = vectors.Score[0];
        scalars.PredictedLabel = vectors.PredictedLabel[0];
    }

    /// <summary>The mapping's input row.</summary>
    public sealed class Vectors
    {
        [ColumnName(ErrorVector), VectorType(1)]
        public float[] ReconstructionError { get; set; } = [];

        [ColumnName(ScoreVector), VectorType(1)]
        public float[] Score { get; set; } = [];

        [ColumnName(LabelVector), VectorType(1)]
        public bool[] PredictedLabel { get; set; } = [];
    }

    /// <summary>The mapping's output row.</summary>
    public sealed class Scalars
    {
        [ColumnName(ErrorScalar)]
        public float ReconstructionError { get; set; }

        [ColumnName(ScoreScalar)]
        public float Score { get; set; }

        [ColumnName(LabelScalar)]
        public bool PredictedLabel { get; set; }
    }
}
