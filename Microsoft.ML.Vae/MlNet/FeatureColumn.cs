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
            throw Missing(name, schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"), "input");
        }

        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw NotSingleVector(name, $"{column.Type}", "input");
        }

        if (!vector.IsKnownSize)
        {
            throw UnknownSize(name, "input");
        }

        if (expectedWidth is int width && vector.Size != width)
        {
            throw new ArgumentException(
                $"The feature column '{name}' has {vector.Size} values per row, but the model expects {width}.", "input");
        }

        return (column, vector.Size);
    }

    /// <summary>The feature column is not in the data; <paramref name="existing"/> describes the columns that are.</summary>
    public static ArgumentException Missing(string name, IEnumerable<string> existing, string parameterName)
    {
        string columns = string.Join(", ", existing);
        return new ArgumentException(
            $"The feature column '{name}' is not in the data. Columns: {(columns.Length == 0 ? "none" : columns)}. Concatenate the " +
            $"numeric columns into one (mlContext.Transforms.Concatenate(\"{name}\", ...)) or set VaeOptions.FeatureColumnName.", parameterName);
    }

    /// <summary>The feature column holds <paramref name="type"/>, not a vector of Single.</summary>
    public static ArgumentException NotSingleVector(string name, string type, string parameterName) => new(
        $"The feature column '{name}' is {type}, but a VAE needs a vector of Single. Convert it " +
        "(mlContext.Transforms.Conversion.ConvertType) and Concatenate the columns into one vector.", parameterName);

    /// <summary>The feature column is a vector of Single of unknown size.</summary>
    public static ArgumentException UnknownSize(string name, string parameterName) => new(
        $"The feature column '{name}' is a vector of Single of unknown size; a VAE needs a fixed width. Build it with " +
        "mlContext.Transforms.Concatenate, or declare the property with [VectorType(n)].", parameterName);
}
