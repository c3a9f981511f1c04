namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// What <see cref="VaeTransformer.Transform(IDataView)"/> returns: the input's columns plus the model's six outputs,
/// computed lazily (nothing runs until a cursor moves) and in blocks, by <see cref="VaeRowCursor"/>.
/// </summary>
internal sealed class VaeDataView : IDataView
{
    public VaeDataView(VaeTransformer model, IDataView input)
    {
        Model = model;
        Input = input;
        (FeatureColumn, Schema) = model.BindSchema(input.Schema);
    }

    public VaeTransformer Model { get; }

    public IDataView Input { get; }

    /// <summary>The feature column in the input schema.</summary>
    public DataViewSchema.Column FeatureColumn { get; }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => Input.CanShuffle;

    public long? GetRowCount() => Input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool[] active = Active(columnsNeeded);
        return new VaeRowCursor(this, Input.GetRowCursor(InputColumns(active), rand), active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        bool[] active = Active(columnsNeeded);
        DataViewRowCursor[] inputs = Input.GetRowCursorSet(InputColumns(active), n, rand);
        return inputs.Select(input => (DataViewRowCursor)new VaeRowCursor(this, input, active)).ToArray();
    }

    /// <summary>Which columns of <see cref="Schema"/> a cursor serves.</summary>
    private bool[] Active(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var active = new bool[Schema.Count];
        foreach (DataViewSchema.Column column in columnsNeeded ?? [])
        {
            if (column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
            {
                throw new ArgumentException($"Column '{column.Name}' (index {column.Index}) is not a column of this data view.", nameof(columnsNeeded));
            }

            active[column.Index] = true;
        }

        return active;
    }

    /// <summary>The input columns a cursor reads: the active pass-through ones, and the features when an output is active.</summary>
    private IEnumerable<DataViewSchema.Column> InputColumns(bool[] active)
    {
        int inputCount = Input.Schema.Count;
        var columns = new List<DataViewSchema.Column>();
        for (int i = 0; i < inputCount; i++)
        {
            if (active[i] || (i == FeatureColumn.Index && active.AsSpan(inputCount).Contains(true)))
            {
                columns.Add(Input.Schema[i]);
            }
        }

        return columns;
    }
}
