using System.Globalization;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Reads a CSV file with a header row in blocks of rows: the feature columns into a row-major float span, key columns
/// as text, the label as a bool. Bad rows (missing or non-numeric value, wrong field count) fail or are skipped.
/// </summary>
internal sealed class CsvFeatureReader : IDisposable
{
    /// <summary>How many skipped line numbers are remembered for the report.</summary>
    public const int SkippedLinesKept = 10;

    private readonly TextReader _text;
    private readonly FileStream _file;
    private readonly CsvRecordReader _records;
    private readonly int[] _featureColumns;
    private readonly int[] _keyColumns;
    private readonly int _labelColumn;
    private readonly List<long> _firstSkippedLines = [];

    private CsvFeatureReader(string path, char? delimiter, ColumnSelection selection, BadRowPolicy policy)
    {
        Path = path;
        Policy = policy;
        _text = CsvFile.OpenText(path, out _file);
        try
        {
            _records = new CsvRecordReader(_text, path, delimiter);
            if (!_records.Read())
            {
                throw new CsvDataException(path, 0, null, "the file is empty; a header row naming the columns is expected.");
            }

            var header = new string[_records.FieldCount];
            for (int i = 0; i < header.Length; i++)
            {
                header[i] = _records.GetFieldString(i).Trim();
            }

            Header = header;
            _keyColumns = [.. selection.Keys.Select(k => Find(k, "--keep"))];
            _labelColumn = selection.Label is null ? -1 : Find(selection.Label, "--label");
            if (selection.Features is { Count: > 0 } features)
            {
                _featureColumns = [.. features.Select(f => Find(f, "--features"))];
            }
            else
            {
                var excluded = new HashSet<int>(selection.Exclude.Select(e => Find(e, "--exclude")));
                excluded.UnionWith(_keyColumns);
                if (_labelColumn >= 0)
                {
                    excluded.Add(_labelColumn);
                }

                _featureColumns = [.. Enumerable.Range(0, header.Length).Where(i => !excluded.Contains(i))];
            }

            if (_featureColumns.Length == 0)
            {
                throw new CsvDataException(path, 1, null, "no feature columns are left; name them with --features.");
            }

            FeatureNames = [.. _featureColumns.Select(i => header[i])];
            Keys = new RowTextBuffer(_keyColumns.Length);
        }
        catch
        {
            _text.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public BadRowPolicy Policy { get; }

    public IReadOnlyList<string> Header { get; }

    public char Delimiter => _records.Delimiter;

    public IReadOnlyList<string> FeatureNames { get; }

    public int FeatureCount => _featureColumns.Length;

    /// <summary>Key column names, in --keep order.</summary>
    public IReadOnlyList<string> KeyNames => [.. _keyColumns.Select(i => Header[i])];

    /// <summary>The key fields of the rows of the last block, as text.</summary>
    public RowTextBuffer Keys { get; }

    /// <summary>Good rows read so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Rows left out under <see cref="BadRowPolicy.Skip"/>.</summary>
    public long SkippedRowCount { get; private set; }

    /// <summary>The line numbers of the first skipped rows.</summary>
    public IReadOnlyList<long> FirstSkippedLines => _firstSkippedLines;

    /// <summary>Share of the file's bytes consumed (compressed bytes for gzip), for progress bars.</summary>
    public double Fraction => _file.Length == 0 ? 1 : (double)_file.Position / _file.Length;

    public static CsvFeatureReader Open(string path, char? delimiter, ColumnSelection selection, BadRowPolicy policy) =>
        new(path, delimiter, selection, policy);

    /// <summary>
    /// Reads up to <c>features.Length / FeatureCount</c> good rows into <paramref name="features"/> (row-major) and
    /// their labels into <paramref name="labels"/> (when a label column is set). Returns the rows read; 0 at the end.
    /// </summary>
    public int ReadBlock(Span<float> features, Span<bool> labels = default)
    {
        int width = _featureColumns.Length;
        int capacity = features.Length / width;
        Keys.Clear();
        int rows = 0;
        while (rows < capacity && _records.Read())
        {
            if (TryParseRow(features.Slice(rows * width, width), out bool label))
            {
                if (_labelColumn >= 0)
                {
                    labels[rows] = label;
                }

                rows++;
            }
        }

        RowCount += rows;
        return rows;
    }

    public void Dispose() => _text.Dispose();

    private bool TryParseRow(Span<float> row, out bool label)
    {
        label = false;
        if (_records.FieldCount != Header.Count)
        {
            return Bad(null, $"expected {Header.Count} fields as in the header, found {_records.FieldCount}.");
        }

        for (int j = 0; j < _featureColumns.Length; j++)
        {
            int c = _featureColumns[j];
            ReadOnlySpan<char> field = _records.GetField(c);
            if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            {
                return Bad(c, field.IsWhiteSpace() ? "the value is missing." : $"'{Shorten(field)}' is not a finite number.");
            }

            row[j] = value;
        }

        if (_labelColumn >= 0 && !TryParseLabel(_records.GetField(_labelColumn), out label))
        {
            return Bad(_labelColumn, $"label '{Shorten(_records.GetField(_labelColumn))}' is not one of 0/1, true/false, a number.");
        }

        foreach (int c in _keyColumns)
        {
            Keys.Add(_records.GetField(c));
        }

        return true;
    }

    private bool Bad(int? column, string problem)
    {
        if (Policy == BadRowPolicy.Fail)
        {
            string? name = column is int c ? $"'{Header[c]}' (#{c + 1})" : null;
            throw new CsvDataException(Path, _records.LineNumber, name, problem + " Use --bad-rows skip to leave such rows out.");
        }

        SkippedRowCount++;
        if (_firstSkippedLines.Count < SkippedLinesKept)
        {
            _firstSkippedLines.Add(_records.LineNumber);
        }

        return false;
    }

    internal static bool TryParseLabel(ReadOnlySpan<char> text, out bool label)
    {
        text = text.Trim();
        if (bool.TryParse(text, out label))
        {
            return true;
        }

        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value))
        {
            label = value != 0;
            return true;
        }

        return false;
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? new string(text) : new string(text[..40]) + "...";

    private int Find(string name, string option)
    {
        for (int i = 0; i < Header.Count; i++)
        {
            if (string.Equals(Header[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new CsvDataException(Path, 1, null, $"{option} names column '{name}', which the header does not have. Columns: {string.Join(", ", Header)}.");
    }
}
