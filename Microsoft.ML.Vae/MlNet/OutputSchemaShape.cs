using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// The estimator's <see cref="SchemaShape"/>: the input columns plus the six outputs. ML.NET keeps the constructor of
/// <see cref="SchemaShape.Column"/> internal, so the output columns come from a <c>CustomMapping</c> estimator whose output
/// class has the six columns (renamed and typed by a <see cref="SchemaDefinition"/>); it is asked for its shape, never fitted.
/// </summary>
internal static class OutputSchemaShape
{
    /// <exception cref="ArgumentException">The feature column is missing, not a vector of Single, or of unknown size.</exception>
    public static SchemaShape Append(SchemaShape input, VaeOptions options)
    {
        string name = options.FeatureColumnName;
        SchemaShape.Column column = input.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
        {
            throw FeatureColumn.Missing(name, input.Select(c => $"'{c.Name}'"), "inputSchema");
        }

        if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
        {
            throw FeatureColumn.NotSingleVector(name, $"a {column.Kind} of {column.ItemType}", "inputSchema");
        }

        if (column.Kind == SchemaShape.Column.VectorKind.VariableVector)
        {
            throw FeatureColumn.UnknownSize(name, "inputSchema");
        }

        var definition = SchemaDefinition.Create(typeof(OutputRow));
        string[] names = options.OutputColumnNames;
        for (int i = 0; i < VaeOutputColumns.Count; i++)
        {
            SchemaDefinition.Column output = definition[((VaeOutput)i).ToString()];
            output.ColumnName = names[i];
            // The width is not part of a shape (only whether it is known), so any known width does.
            output.ColumnType = VaeOutputColumns.Type((VaeOutput)i, featureCount: 1, options.LatentDimension);
        }

        // A context of its own per call: MLContext is not documented as safe to share across threads.
        return new MLContext().Transforms
            .CustomMapping<NoInput, OutputRow>((_, _) => { }, contractName: null, outputSchemaDefinition: definition)
            .GetOutputSchema(input);
    }

    /// <summary>The mapping reads no input column.</summary>
    public sealed class NoInput
    {
    }

    /// <summary>The six outputs, one member per <see cref="VaeOutput"/> of the same name.</summary>
    public sealed class OutputRow
    {
        public float[] LatentMean = [];
        public float[] LatentLogVariance = [];
        public float[] Reconstruction = [];
        public float ReconstructionError;
        public float Score;
        public bool PredictedLabel;
    }
}
