using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Files;
using global::Parquet;
using global::Parquet.Schema;

namespace Microsoft.ML.Vae.Cli.Parquet;

/// <summary>
/// Reads a Parquet file one row group at a time: the selected columns of a row group are decoded (numbers of any width
/// become floats), then handed out in blocks like CSV rows. Memory holds one row group's selected columns, never the
/// file. A null or non-finite feature, or an unusable label, makes the row bad (failed or skipped as for CSV); a column
/// that is not numeric is refused when the file is opened.
/// </summary>
internal sealed class ParquetFeatureReader : FeatureReader
{
    private readonly ParquetReader _parquet;
    private readonly DataField?[] _columns; // null for a nested (struct, list, map) column
    private readonly int _groupCount;

    private int _group = -1;
    private int _groupRows;
    private int _next;
    private long _groupStart;

    // The current row group, decoded: each feature column as floats, labels, key values per key column, and per row
    // the first column at fault (-1 for a good row) with what is wrong there.
    private float[][] _values = [];
    private bool[] _labels = [];
    private Array?[] _keyValues = [];
    private int[][] _keyIndex = [];
    private int[] _badColumn = [];
    private Fault[] _fault = [];

    // Column buffers reused from one row group to the next (one per value type), so reading allocates per file, not per group.
    private readonly Dictionary<Type, Array> _buffers = [];
    private int[] _levels = [];

    private ParquetFeatureReader(InputFile input, ColumnSelection selection, BadRowPolicy policy)
        : base(input, policy)
    {
        if (!input.Stream.CanSeek)
        {
            throw new ParquetDataException(Name, null,
                "a Parquet file is read where its footer says, so it cannot be read through gzip; Parquet compresses its own pages, so decompress the file first.");
        }

        try
        {
            if (ParquetIntegrity.CheckFooter(input.Stream) is string damage)
            {
                throw new ParquetDataException(Name, null, $"not a readable Parquet file: {damage}.");
            }

            input.Stream.Position = 0;
            _parquet = ParquetReader.CreateAsync(input.Stream, Options, leaveStreamOpen: true).GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw new ParquetDataException(Name, null, $"not a readable Parquet file ({e.Message.TrimEnd('.')}).");
        }

        try
        {
            IReadOnlyList<Field> fields;
            try
            {
                fields = _parquet.Schema.Fields;
                _groupCount = Math.Max(0, _parquet.RowGroupCount);
                if (_parquet.Metadata is { } footer && footer.RowGroups.Sum(g => g.NumRows) != footer.NumRows)
                {
                    throw new ParquetDataException(Name, null,
                        $"the file is damaged: its footer counts {footer.NumRows} rows, its row groups {footer.RowGroups.Sum(g => g.NumRows)}.");
                }
            }
            catch (Exception e) when (IsReadFailure(e))
            {
                throw new ParquetDataException(Name, null, $"not a readable Parquet file: its schema cannot be decoded ({e.Message.TrimEnd('.')}).");
            }

            _columns = [.. fields.Select(f => f as DataField)];
            Layout = ColumnLayout.Resolve([.. fields.Select(f => f.Name)], selection, "the file's schema", problem => new ParquetDataException(Name, null, problem));
            foreach (int c in Layout.Features)
            {
                if (!IsNumber(_columns[c]))
                {
                    throw new ParquetDataException(Name, Layout.Describe(c),
                        $"the column holds {TypeName(_columns[c])}; a feature column must hold numbers (integers or floating point). Leave it out with --exclude, or name the features with --features.");
                }
            }

            if (Layout.Label >= 0 && !(IsNumber(_columns[Layout.Label]) || Is(_columns[Layout.Label], typeof(bool)) || IsText(_columns[Layout.Label])))
            {
                throw new ParquetDataException(Name, Layout.Describe(Layout.Label),
                    $"the label column holds {TypeName(_columns[Layout.Label])}; it must hold booleans, numbers (0 or 1) or text ({LabelParser.Accepted}).");
            }

            foreach (int c in Layout.Keys)
            {
                if (!IsNumber(_columns[c]) && !IsText(_columns[c]) && !KeyTypes.Any(t => Is(_columns[c], t)))
                {
                    throw new ParquetDataException(Name, Layout.Describe(c), $"the column holds {TypeName(_columns[c])}, which --keep cannot copy.");
                }
            }
        }
        catch
        {
            _parquet.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private enum Fault : byte
    {
        None,
        Null,
        NotFinite,
        Label,
    }

    public override string PositionName => "row";

    public override double Fraction => _groupCount == 0 ? 1 : (Math.Max(_group, 0) + (_groupRows == 0 ? 0 : (double)_next / _groupRows)) / _groupCount;

    /// <summary>Parquet.Net keeps freed page buffers in pools for reuse; small pools keep peak memory near one row group.</summary>
    internal const int SmallPoolFreeBytes = 4 << 20, LargePoolFreeBytes = 8 << 20;

    private static ParquetOptions Options { get; } = new() { MaximumSmallPoolFreeBytes = SmallPoolFreeBytes, MaximumLargePoolFreeBytes = LargePoolFreeBytes };

    private static Type[] KeyTypes { get; } = [typeof(bool), typeof(DateTime), typeof(DateOnly), typeof(TimeOnly), typeof(Guid)];

    /// <summary>Reads <paramref name="input"/> (a seekable file), which the reader then owns.</summary>
    public static ParquetFeatureReader Open(InputFile input, ColumnSelection selection, BadRowPolicy policy) =>
        Owning(input, () => new ParquetFeatureReader(input, selection, policy));

    protected override int ReadRows(Span<float> features, Span<bool> labels, RowTextBuffer keys)
    {
        int width = Layout.Features.Length;
        int capacity = features.Length / width;
        int rows = 0;
        while (rows < capacity && (_next < _groupRows || NextGroup()))
        {
            int r = _next++;
            if (_badColumn[r] >= 0 && !BadRow(r))
            {
                continue;
            }

            // Columns as read, gathered row by row: sequential reads of each column, sequential writes of the rows.
            Span<float> row = features.Slice(rows * width, width);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = _values[j][r];
            }

            if (Layout.Label >= 0 && !labels.IsEmpty)
            {
                labels[rows] = _labels[r];
            }

            for (int k = 0; k < _keyValues.Length; k++)
            {
                AddKey(keys, k, r);
            }

            rows++;
        }

        return rows;
    }

    public override InputDataException DataError(string problem) => new ParquetDataException(Name, null, problem);

    public override void Dispose()
    {
        _parquet.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    /// <summary>Decodes the next row group that has rows; false after the last.</summary>
    private bool NextGroup()
    {
        while (_group + 1 < _groupCount)
        {
            _groupStart += _groupRows;
            _group++;
            _next = 0;
            _groupRows = 0;
            ParquetRowGroupReader group = _parquet.OpenRowGroupReader(_group);
            int width = Layout.Features.Length;
            if (group.RowCount > Array.MaxLength / Math.Max(width, 1) || group.RowCount < 0)
            {
                throw new ParquetDataException(Name, 0, _group + 1, _groupCount, 0, null,
                    $"the row group claims {group.RowCount} rows, more than one array can hold; write the file with smaller row groups.");
            }

            int rows = (int)group.RowCount;
            CheckValueCounts(group);
            Allocate(rows, width);
            for (int j = 0; j < width; j++)
            {
                Read(group, Layout.Features[j], rows, (values, levels, maxLevel) => ReadFeature(values, rows, levels, maxLevel, j, Layout.Features[j]));
            }

            if (Layout.Label >= 0)
            {
                Read(group, Layout.Label, rows, (values, levels, maxLevel) => ReadLabel(values, rows, levels, maxLevel));
            }

            for (int k = 0; k < Layout.Keys.Length; k++)
            {
                int key = k;
                Read(group, Layout.Keys[k], rows, (values, levels, maxLevel) => ReadKey(values, rows, levels, maxLevel, key));
            }

            _groupRows = rows;
            if (rows > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every selected column chunk holds one value (or null) per row of its group: a damaged count must fail here, not
    /// size the buffers.
    /// </summary>
    private void CheckValueCounts(ParquetRowGroupReader group)
    {
        foreach (int column in Layout.Features.Concat(Layout.Keys).Append(Layout.Label).Where(c => c >= 0))
        {
            long? values = group.GetMetadata(_columns[column]!)?.MetaData?.NumValues;
            if (values != group.RowCount)
            {
                throw new ParquetDataException(Name, 0, _group + 1, _groupCount, 0, Layout.Describe(column),
                    $"the file is damaged: the row group has {group.RowCount} rows but the column {values?.ToString(CultureInfo.InvariantCulture) ?? "no"} values.");
            }
        }
    }

    private void Allocate(int rows, int width)
    {
        if (_badColumn.Length < rows)
        {
            _values = [.. Enumerable.Range(0, width).Select(_ => new float[rows])];
            _labels = new bool[rows];
            _badColumn = new int[rows];
            _fault = new Fault[rows];
            _keyValues = new Array?[Layout.Keys.Length];
            _keyIndex = [.. Layout.Keys.Select(_ => new int[rows])];
        }

        _badColumn.AsSpan(0, rows).Fill(-1);
        _fault.AsSpan(0, rows).Clear();
    }

    /// <summary>
    /// Reads one column of the row group in its own type and hands its values (nulls left out, in a buffer that may be
    /// longer than the group) and definition levels on.
    /// </summary>
    private void Read(ParquetRowGroupReader group, int column, int rows, Action<Array, int[]?, int> use)
    {
        DataField field = _columns[column]!; // checked when the file was opened
        try
        {
            if (_levels.Length < rows)
            {
                _levels = new int[rows];
            }

            CheckPages(group, field, column, rows);
            int[]? levels = field.MaxDefinitionLevel > 0 ? _levels : null;
            Array values = Buffer(IsText(field) ? typeof(string) : field.ClrType, rows);
            if (values is string?[] text)
            {
                group.ReadAsync(field, text.AsMemory(0, rows)).AsTask().GetAwaiter().GetResult();
                levels = null; // nulls stay in place as null strings
            }
            else
            {
                ReadRaw(group, field, values, rows, levels);
            }

            use(values, levels, field.MaxDefinitionLevel);
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw new ParquetDataException(Name, 0, _group + 1, _groupCount, 0, Layout.Describe(column), $"the column cannot be read ({e.Message.TrimEnd('.')}).");
        }
    }

    /// <summary>
    /// The column chunk's pages must fit in it and unpack to what its rows can hold: a number takes at most 16 bytes
    /// (with its levels, 32); text is bounded generously (4 KB a row, and 64 times its packed size).
    /// </summary>
    private void CheckPages(ParquetRowGroupReader group, DataField field, int column, int rows)
    {
        global::Parquet.Meta.ColumnMetaData? chunk = group.GetMetadata(field)?.MetaData;
        long maxPageBytes = IsText(field) ? (rows * 4096L) + (64 * (chunk?.TotalCompressedSize ?? 0)) + (1 << 20) : (rows * 32L) + (1 << 20);
        if ((chunk is null ? "its column chunk has no metadata" : ParquetIntegrity.CheckPages(Input.Stream, chunk, maxPageBytes)) is string problem)
        {
            throw new ParquetDataException(Name, 0, _group + 1, _groupCount, 0, Layout.Describe(column), $"the file is damaged: {problem}.");
        }
    }

    private Array Buffer(Type type, int rows)
    {
        if (!_buffers.TryGetValue(type, out Array? buffer) || buffer.Length < rows)
        {
            _buffers[type] = buffer = Array.CreateInstance(type, rows);
        }

        return buffer;
    }

    private static void ReadRaw(ParquetRowGroupReader group, DataField field, Array values, int rows, int[]? levels)
    {
        Memory<int>? definitions = levels is null ? (Memory<int>?)null : levels.AsMemory(0, rows);
        ValueTask read = values switch
        {
            float[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            double[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            int[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            long[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            short[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            sbyte[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            byte[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            ushort[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            uint[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            ulong[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            decimal[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            bool[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            DateTime[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            DateOnly[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            TimeOnly[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            Guid[] v => group.ReadRawAsync(field, v.AsMemory(0, rows), definitions, null),
            _ => throw new NotSupportedException($"values of type {field.ClrType.Name}"),
        };
        read.AsTask().GetAwaiter().GetResult();
    }

    private void ReadFeature(Array values, int rows, int[]? levels, int maxLevel, int feature, int column) =>
        ForNumbers(values, new FeatureColumn(this, rows, levels, maxLevel, feature, column));

    /// <summary>
    /// Hands a numeric column to <paramref name="column"/> in its own element type (each type its own compiled loop, no
    /// value boxed); false for a column of another type.
    /// </summary>
    private static bool ForNumbers<TColumn>(Array values, TColumn column)
        where TColumn : struct, INumberColumn
    {
        switch (values)
        {
            case float[] v: column.Read(v); break;
            case double[] v: column.Read(v); break;
            case int[] v: column.Read(v); break;
            case long[] v: column.Read(v); break;
            case short[] v: column.Read(v); break;
            case sbyte[] v: column.Read(v); break;
            case byte[] v: column.Read(v); break;
            case ushort[] v: column.Read(v); break;
            case uint[] v: column.Read(v); break;
            case ulong[] v: column.Read(v); break;
            case decimal[] v: column.Read(v); break;
            default: return false;
        }

        return true;
    }

    private interface INumberColumn
    {
        void Read<T>(T[] values)
            where T : INumberBase<T>;
    }

    private readonly struct FeatureColumn(ParquetFeatureReader reader, int rows, int[]? levels, int maxLevel, int feature, int column) : INumberColumn
    {
        public void Read<T>(T[] values)
            where T : INumberBase<T> => reader.ToFloats(values, rows, levels, maxLevel, feature, column);
    }

    private readonly struct LabelColumn(ParquetFeatureReader reader, int rows, int[]? levels, int maxLevel) : INumberColumn
    {
        public void Read<T>(T[] values)
            where T : INumberBase<T> => reader.ToLabels(values, rows, levels, maxLevel);
    }

    /// <summary>Converts one feature column to floats; nulls and non-finite values mark their rows bad.</summary>
    private void ToFloats<T>(T[] values, int rows, int[]? levels, int maxLevel, int feature, int column) where T : INumberBase<T>
    {
        float[] target = _values[feature];
        for (int r = 0, v = 0; r < rows; r++)
        {
            if (levels is not null && levels[r] < maxLevel)
            {
                target[r] = float.NaN;
                Mark(r, column, Fault.Null);
                continue;
            }

            float value = float.CreateTruncating(values[v++]);
            target[r] = value;
            if (!float.IsFinite(value))
            {
                Mark(r, column, Fault.NotFinite);
            }
        }
    }

    private void ReadLabel(Array values, int rows, int[]? levels, int maxLevel)
    {
        if (ForNumbers(values, new LabelColumn(this, rows, levels, maxLevel)))
        {
            return;
        }

        int column = Layout.Label;
        for (int r = 0, v = 0; r < rows; r++)
        {
            if (levels is not null && levels[r] < maxLevel)
            {
                Mark(r, column, Fault.Null);
                continue;
            }

            int i = v++;
            bool? label = values switch
            {
                bool[] b => b[i],
                string?[] s => s[i] is string text ? TextLabel(text) : null,
                _ => throw new UnreachableException("numeric labels are read by ToLabels"),
            };
            if (values is string?[] strings && strings[i] is null)
            {
                Mark(r, column, Fault.Null);
            }
            else if (label is bool known)
            {
                _labels[r] = known;
            }
            else
            {
                Mark(r, column, Fault.Label);
            }
        }
    }

    /// <summary>A numeric label column: 0 and 1 are the labels, anything else marks its row bad, as does a null.</summary>
    private void ToLabels<T>(T[] values, int rows, int[]? levels, int maxLevel)
        where T : INumberBase<T>
    {
        int column = Layout.Label;
        for (int r = 0, v = 0; r < rows; r++)
        {
            if (levels is not null && levels[r] < maxLevel)
            {
                Mark(r, column, Fault.Null);
                continue;
            }

            switch (double.CreateTruncating(values[v++]))
            {
                case 0:
                    _labels[r] = false;
                    break;
                case 1:
                    _labels[r] = true;
                    break;
                default:
                    Mark(r, column, Fault.Label);
                    break;
            }
        }
    }

    /// <summary>A text label as the CSV reader reads one, without a byte array per row for the usual few characters.</summary>
    private static bool? TextLabel(string text)
    {
        Span<byte> buffer = stackalloc byte[64];
        ReadOnlySpan<byte> utf8 = Encoding.UTF8.TryGetBytes(text, buffer, out int length) ? buffer[..length] : Encoding.UTF8.GetBytes(text);
        return LabelParser.TryParse(utf8, '.', out bool parsed) ? parsed : null;
    }

    /// <summary>Keeps a key column's values as read (no string per row: keys are formatted when their rows are handed out).</summary>
    private void ReadKey(Array values, int rows, int[]? levels, int maxLevel, int k)
    {
        Array? kept = _keyValues[k];
        if (kept is null || kept.GetType() != values.GetType() || kept.Length < rows)
        {
            _keyValues[k] = kept = Array.CreateInstance(values.GetType().GetElementType()!, Math.Max(rows, 1));
        }

        Array.Copy(values, kept, rows);
        int[] index = _keyIndex[k];
        for (int r = 0, v = 0; r < rows; r++)
        {
            bool isNull = levels is not null ? levels[r] < maxLevel : values is string?[] text && text[r] is null;
            index[r] = isNull ? -1 : levels is not null ? v++ : r;
        }
    }

    /// <summary>Adds row <paramref name="r"/>'s key <paramref name="k"/> as text: invariant numbers, ISO 8601 times, empty for null.</summary>
    private void AddKey(RowTextBuffer keys, int k, int r)
    {
        int i = _keyIndex[k][r];
        Span<char> text = stackalloc char[64];
        int n = 0;
        switch (i < 0 ? null : _keyValues[k])
        {
            case null:
                break;
            case string?[] s:
                keys.Add(s[i]);
                return;
            case bool[] b:
                keys.Add(b[i] ? "true" : "false"); // as the CSV output writes booleans
                return;
            case long[] l:
                l[i].TryFormat(text, out n, default, CultureInfo.InvariantCulture);
                break;
            case int[] v:
                v[i].TryFormat(text, out n, default, CultureInfo.InvariantCulture);
                break;
            case DateTime[] d:
                d[i].TryFormat(text, out n, "o", CultureInfo.InvariantCulture);
                break;
            case Array a when a.GetValue(i) is ISpanFormattable value:
                value.TryFormat(text, out n, default, CultureInfo.InvariantCulture);
                break;
        }

        keys.Add(text[..n]);
    }

    /// <summary>Notes the first column at fault in row <paramref name="r"/> (features are read in feature order, then the label).</summary>
    private void Mark(int r, int column, Fault fault)
    {
        if (_badColumn[r] < 0)
        {
            _badColumn[r] = column;
            _fault[r] = fault;
        }
    }

    /// <summary>A bad row: fails or is counted (returns false, the row is left out).</summary>
    private bool BadRow(int r)
    {
        int column = _badColumn[r];
        long row = _groupStart + r + 1;
        return BadRows.Bad(row, () => new ParquetDataException(Name, row, _group + 1, _groupCount, r + 1, Layout.Describe(column), Problem(r, column) + SkipAdvice));
    }

    /// <summary>Why row <paramref name="r"/> of the group is bad (made only when it fails: a skipped row costs no text).</summary>
    private string Problem(int r, int column) => _fault[r] switch
    {
        Fault.Null => "the value is missing (null).",
        Fault.NotFinite => $"{_values[Array.IndexOf(Layout.Features, column)][r].ToString(CultureInfo.InvariantCulture)} is not a finite number (as a float).",
        _ => $"the label is not {LabelParser.Accepted}.",
    };

    private static bool Is(DataField? field, Type type) => field is { IsArray: false } && field.ClrType == type;

    /// <summary>A string column (Parquet.Net types them as <see cref="ReadOnlyMemory{T}"/> of char when reading).</summary>
    private static bool IsText(DataField? field) => Is(field, typeof(string)) || Is(field, typeof(ReadOnlyMemory<char>));

    private static bool IsNumber(DataField? field) => field is { IsArray: false } && IsNumber(field.ClrType);

    private static bool IsNumber(Type type) =>
        type == typeof(float) || type == typeof(double) || type == typeof(int) || type == typeof(long) || type == typeof(short)
        || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong)
        || type == typeof(decimal);

    private static string TypeName(DataField? field) => field switch
    {
        null => "nested values (a struct, list or map)",
        { IsArray: true } => $"lists of {ClrName(field)}",
        _ => $"{ClrName(field)} values",
    };

    private static string ClrName(DataField field) => field.ClrType == typeof(ReadOnlyMemory<char>) ? "String" : field.ClrType.Name;

    /// <summary>What goes wrong reading a damaged or foreign file (the library's and the decoders' exceptions), not a bug of ours.</summary>
    private static bool IsReadFailure(Exception e) => e is not (OperationCanceledException or OutOfMemoryException or InputDataException);
}
