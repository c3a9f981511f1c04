using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// A cursor over a <see cref="VaeDataView"/>. While an output column is active it reads its input ahead by a block of
/// <see cref="BlockRows"/> rows, scores the block with one call into the batch path, and serves the rows one by one
/// (input columns from a per-block copy). With no output active it is a plain pass-through of the input cursor.
/// </summary>
internal sealed class VaeRowCursor : DataViewRowCursor
{
    public const int BlockRows = 256;

    private readonly DataViewRowCursor _input;
    private readonly DataViewSchema _schema;
    private readonly bool[] _active;
    private readonly int _inputColumnCount;
    private readonly string _featureColumnName;

    // Batched mode only (null when no output is active).
    private readonly ScoredBlock? _block;
    private readonly ValueGetter<VBuffer<float>>? _features;
    private readonly ValueGetter<DataViewRowId>? _inputId;
    private readonly DataViewRowId[] _ids = [];
    private readonly long[] _batches = [];
    private readonly InputColumnCache?[] _caches = [];
    private readonly Func<int> _current;
    private VBuffer<float> _featureBuffer;
    private int _rows;
    private int _index = -1;
    private long _position = -1;
    private bool _done;

    public VaeRowCursor(VaeDataView view, DataViewRowCursor input, bool[] active)
    {
        _input = input;
        _schema = view.Schema;
        _active = active;
        _inputColumnCount = view.Input.Schema.Count;
        _featureColumnName = view.Model.Options.FeatureColumnName;
        _current = () => _index;

        ReadOnlySpan<bool> outputs = active.AsSpan(_inputColumnCount, VaeOutputColumns.Count);
        if (!outputs.Contains(true))
        {
            return;
        }

        _block = new ScoredBlock(view.Model, BlockRows, outputs);
        _features = input.GetGetter<VBuffer<float>>(view.FeatureColumn);
        _inputId = input.GetIdGetter();
        _ids = new DataViewRowId[BlockRows];
        _batches = new long[BlockRows];
        _caches = new InputColumnCache?[_inputColumnCount];
        for (int i = 0; i < _inputColumnCount; i++)
        {
            if (active[i])
            {
                _caches[i] = InputColumnCache.Create(input, view.Input.Schema[i], BlockRows);
            }
        }
    }

    public override DataViewSchema Schema => _schema;

    public override long Position => _block is null ? _input.Position : _position;

    /// <summary>
    /// The current row's batch, as the input reported it when the row was read: the input is up to a block ahead, and
    /// ML.NET reassembles the rows of a cursor set in order by their batches.
    /// </summary>
    public override long Batch => _block is null || _index < 0 ? _input.Batch : _batches[_index];

    public override bool MoveNext()
    {
        if (_block is null)
        {
            return _input.MoveNext();
        }

        if (_done)
        {
            return false;
        }

        if (++_index >= _rows)
        {
            if (!Fill(_block))
            {
                _done = true;
                _index = -1;
                return false;
            }

            _index = 0;
        }

        _position++;
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        _block is null ? _input.GetIdGetter() : (ref DataViewRowId id) => id = _ids[_index];

    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        }

        if (column.Index >= _inputColumnCount)
        {
            return _block!.Getter<TValue>((VaeOutput)(column.Index - _inputColumnCount), column.Name, _current);
        }

        if (_block is null)
        {
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }

        return _caches[column.Index]!.Getter(_current) as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads up to a block of input rows (features checked), then scores them; false at the end of the input.</summary>
    private bool Fill(ScoredBlock block)
    {
        _rows = 0;
        while (_rows < BlockRows && _input.MoveNext())
        {
            _features!(ref _featureBuffer);
            FeatureReader.CopyRow(_featureBuffer, block.FeatureRow(_rows), _input.Position, _featureColumnName);
            _inputId!(ref _ids[_rows]);
            _batches[_rows] = _input.Batch;
            foreach (InputColumnCache? cache in _caches)
            {
                cache?.Read(_rows);
            }

            _rows++;
        }

        if (_rows == 0)
        {
            return false;
        }

        block.Score(_rows);
        return true;
    }
}
