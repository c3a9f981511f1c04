using Microsoft.ML.Data;
using Microsoft.ML.Vae.Onnx;
using Google.Protobuf;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// How a <see cref="VaeTransformer"/> saves itself inside an ML.NET model. ML.NET's model-writing members and the
/// attributes that register a loader are internal, so a third-party transformer cannot write its own entry. It writes
/// instead a chain of ML.NET's own transformers that scores the same way: the model's one-row ONNX export
/// (<c>ApplyOnnxModel</c>), <see cref="ScalarOutputsMapping"/> for the per-row scalars, then <c>CopyColumns</c> and
/// <c>DropColumns</c> to give the six outputs their names and types. <c>mlContext.Model.Load</c> returns that chain.
/// </summary>
internal static class MlNetModelRoute
{
    public static void Save(VaeTransformer model, ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        using TransformerChain<ITransformer> chain = BuildChain(model);
        ((ICanSaveModel)chain).Save(ctx);
    }

    /// <summary>The ML.NET transformers that stand in for <paramref name="model"/>.</summary>
    public static TransformerChain<ITransformer> BuildChain(VaeTransformer model)
    {
        var ml = new MLContext();
        VaeOptions options = model.Options;
        string[] names = options.OutputColumnNames;
        string[] onnxOutputs =
        [
            names[(int)VaeOutput.LatentMean], names[(int)VaeOutput.LatentLogVariance], names[(int)VaeOutput.Reconstruction],
            ScalarOutputsMapping.ErrorVector, ScalarOutputsMapping.ScoreVector, ScalarOutputsMapping.LabelVector,
        ];

        using var onnx = new MemoryStream(OnnxExporter.BuildRowGraph(model, options.FeatureColumnName, onnxOutputs).ToByteArray());
        var scalars = new ScalarOutputsMapping();
        var estimator = ml.Transforms.ApplyOnnxModel(onnxOutputs, [options.FeatureColumnName], onnx)
            .Append(ml.Transforms.CustomMapping(scalars.GetMapping(), ScalarOutputsMapping.ContractName))
            .Append(ml.Transforms.CopyColumns(names[(int)VaeOutput.ReconstructionError], ScalarOutputsMapping.ErrorScalar))
            .Append(ml.Transforms.CopyColumns(names[(int)VaeOutput.Score], ScalarOutputsMapping.ScoreScalar))
            .Append(ml.Transforms.CopyColumns(names[(int)VaeOutput.PredictedLabel], ScalarOutputsMapping.LabelScalar))
            .Append(ml.Transforms.DropColumns(
                ScalarOutputsMapping.ErrorVector, ScalarOutputsMapping.ScoreVector, ScalarOutputsMapping.LabelVector,
                ScalarOutputsMapping.ErrorScalar, ScalarOutputsMapping.ScoreScalar, ScalarOutputsMapping.LabelScalar));

        ITransformer fitted = estimator.Fit(EmptyInput(ml, options.FeatureColumnName, model.FeatureCount));
        return new TransformerChain<ITransformer>(((IEnumerable<ITransformer>)fitted).ToArray());
    }

    /// <summary>No rows, one column: the feature vector the chain is fitted against (its transformers learn nothing).</summary>
    private static IDataView EmptyInput(MLContext ml, string featureColumnName, int featureCount)
    {
        var definition = SchemaDefinition.Create(typeof(FeatureRow));
        definition[nameof(FeatureRow.Features)].ColumnName = featureColumnName;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), definition);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
