using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// The model as an <see cref="IRowToRowMapper"/>: what ML.NET's <c>PredictionEngine</c> uses. Each output row scores its
/// input row once, on the first output read after the input moved.
/// </summary>
internal sealed class VaeRowMapper : IRowToRowMapper
{
    private readonly VaeTransformer _model;
    private readonly DataViewSchema.Column _featureColumn;

    public VaeRowMapper(VaeTransformer model, DataViewSchema inputSchema)
    {
        _model = model;
        InputSchema = inputSchema;
        (_featureColumn, OutputSchema) = model.BindSchema(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new SortedSet<int>();
        foreach (DataViewSchema.Column column in dependingColumns)
        {
            needed.Add(column.Index < InputSchema.Count ? column.Index : _featureColumn.Index);
        }

        return needed.Select(i => InputSchema[i]).ToArray();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        var active = new bool[OutputSchema.Count];
        foreach (DataViewSchema.Column column in activeColumns)
        {
            active[column.Index] = true;
        }

        return new Row(this, input, active);
    }

    /// <summary>One output row over one input row; scores lazily and once per input position.</summary>
    private sealed class Row : DataViewRow
    {
        private readonly VaeRowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly ScoredBlock? _block;
        private readonly ValueGetter<VBuffer<float>>? _features;
        private readonly Func<int> _scoredRow;
        private VBuffer<float> _featureBuffer;
        private long _scoredPosition = -1;

        public Row(VaeRowMapper mapper, DataViewRow input, bool[] active)
        {
            _mapper = mapper;
            _input = input;
            _active = active;
            _scoredRow = ScoreIfMoved;
            int inputCount = mapper.InputSchema.Count;
            ReadOnlySpan<bool> outputs = active.AsSpan(inputCount);
            if (outputs.Contains(true))
            {
                _block = new ScoredBlock(mapper._model, 1, outputs);
                _features = input.GetGetter<VBuffer<float>>(mapper._featureColumn);
            }
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the row was created.");
            }

            int inputCount = _mapper.InputSchema.Count;
            return column.Index < inputCount
                ? _input.GetGetter<TValue>(_mapper.InputSchema[column.Index])
                : _block!.Getter<TValue>((VaeOutput)(column.Index - inputCount), column.Name, _scoredRow);
        }

        /// <summary>Scores the input's current row unless it is the one scored last; returns its block row (0).</summary>
        private int ScoreIfMoved()
        {
            if (_scoredPosition != _input.Position || _scoredPosition < 0)
            {
                _features!(ref _featureBuffer);
                FeatureReader.CopyRow(_featureBuffer, _block!.FeatureRow(0), _input.Position, _mapper._featureColumn.Name);
                _block.Score(1);
                _scoredPosition = _input.Position;
            }

            return 0;
        }
    }
}
