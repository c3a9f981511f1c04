using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>Finds the feature column in a schema and checks that it is a known-size vector of <see cref="float"/>.</summary>
internal static class FeatureColumn
{
    /// <summary>The feature column and its width.</summary>
    /// <param name="schema">The input schema.</param>
    /// <param name="name">The column name (<see cref="VaeOptions.FeatureColumnName"/>).</param>
    /// <param name="expectedWidth">The model's feature count at scoring, or null when fitting.</param>
    /// <exception cref="ArgumentException">The column is missing, of another type, of unknown size or of the wrong width.</exception>
    public static (DataViewSchema.Column Column, int Width) Find(DataViewSchema schema, string name, int? expectedWidth)
    {
        ArgumentNullException.ThrowIfNull(schema);
        DataViewSchema.Column? found = schema.GetColumnOrNull(name);
        if (found is not DataViewSchema.Column column)
        {
            string existing = schema.Count == 0 ? "none" : string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"));
            throw new ArgumentException(
                $"The feature column '{name}' is not in the data. Columns: {existing}. Concatenate the numeric columns into one " +
                $"(mlContext.Transforms.Concatenate(\"{name}\", ...)) or set VaeOptions.FeatureColumnName.", "input");
        }

        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException(
                $"The feature column '{name}' is {column.Type}, but a VAE needs a vector of Single. Convert it " +
                "(mlContext.Transforms.Conversion.ConvertType) and Concatenate the columns into one vector.", "input");
        }

        if (!vector.IsKnownSize)
        {
            throw new ArgumentException(
                $"The feature column '{name}' is a vector of Single of unknown size; a VAE needs a fixed width. Build it with " +
                "mlContext.Transforms.Concatenate, or declare the property with [VectorType(n)].", "input");
        }

        if (expectedWidth is int width && vector.Size != width)
        {
            throw new ArgumentException(
                $"The feature column '{name}' has {vector.Size} values per row, but the model expects {width}.", "input");
        }

        return (column, vector.Size);
    }
}
