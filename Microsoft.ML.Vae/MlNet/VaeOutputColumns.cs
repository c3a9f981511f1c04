using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// Names and types of the columns a model adds to an <see cref="IDataView"/>: <c>Vector&lt;Single, L&gt;</c> latent mean
/// and log-variance, <c>Vector&lt;Single, F&gt;</c> reconstruction, <c>Single</c> error and score, <c>Boolean</c> label.
/// </summary>
internal static class VaeOutputColumns
{
    public const int Count = 6;

    public static DataViewType Type(VaeOutput output, int featureCount, int latentDimension) => output switch
    {
        VaeOutput.LatentMean or VaeOutput.LatentLogVariance => new VectorDataViewType(NumberDataViewType.Single, latentDimension),
        VaeOutput.Reconstruction => new VectorDataViewType(NumberDataViewType.Single, featureCount),
        VaeOutput.ReconstructionError or VaeOutput.Score => NumberDataViewType.Single,
        VaeOutput.PredictedLabel => BooleanDataViewType.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(output)),
    };

    /// <summary>
    /// The input schema's columns (passed through, same indices) followed by the six outputs; an output hides an input
    /// column of the same name, as in any ML.NET transform.
    /// </summary>
    public static DataViewSchema Append(DataViewSchema input, VaeOptions options, int featureCount, int latentDimension)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        string[] names = options.OutputColumnNames;
        for (int i = 0; i < Count; i++)
        {
            builder.AddColumn(names[i], Type((VaeOutput)i, featureCount, latentDimension));
        }

        return builder.ToSchema();
    }
}
