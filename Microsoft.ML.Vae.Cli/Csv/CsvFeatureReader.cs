using System.Text;
using CsvHelper;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Reads a CSV input with a header row in blocks of rows: the feature columns into a row-major float span, key columns
/// as text, the label as a bool. Bad rows (missing or non-numeric value, wrong field count) fail or are skipped.
/// </summary>
/// <remarks>
/// Built on CsvHelper's UTF-8 reader (RFC 4180 quoting, separator detection, line tracking), which hands out each
/// field's bytes; numbers go through <see cref="NumberParser"/>, which reads the input's decimal separator and never a
/// thousands separator, with a fast path of its own (the BCL's float parsing alone was the bottleneck of a hand-written
/// reader, benchmarks/CliScale parse).
/// </remarks>
internal sealed class CsvFeatureReader : IDisposable
{
    /// <summary>How many skipped line numbers are remembered for the report.</summary>
    public const int SkippedLinesKept = 10;

    /// <summary>Bytes read ahead to detect the decimal separator from the first lines.</summary>
    private const int DetectionBytes = 64 * 1024;

    /// <summary>The longest record read: an unclosed quote near the start of a large input must not become one huge field.</summary>
    private const int MaxRecordBytes = 64 << 20;

    /// <summary>Column names listed in an error message, at most.</summary>
    private const int ListedColumns = 20;

    private readonly InputFile _input;
    private readonly CsvReader _csv;
    private readonly int[] _featureColumns;
    private readonly int[] _keyColumns;
    private readonly int _labelColumn;
    private readonly List<long> _firstSkippedLines = [];

    private CsvFeatureReader(InputFile input, char? delimiter, char? decimalSeparator, ColumnSelection selection, BadRowPolicy policy)
    {
        _input = input;
        Policy = policy;
        (byte[] start, int length, Stream stream) = ReplayStream.Peek(input.Stream, DetectionBytes);
        _csv = CsvReader.Create(stream, new CsvReaderOptions
        {
            Separator = delimiter,
            HasHeader = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw, // an unclosed quote must not swallow the rest of the file
            MaxRecordSize = MaxRecordBytes,
        }, leaveOpen: false);
        try
        {
            string[] header = Guard(() => _csv.Headers.Select(h => h.Trim()).ToArray());
            if (header.Length == 0)
            {
                throw new CsvDataException(Name, 0, null, "the input is empty; a header row naming the columns is expected.");
            }

            Header = header;
            DecimalSeparator = decimalSeparator ?? DecimalSeparatorOption.Detect(start.AsSpan(0, length), _csv.Separator);
            DecimalSeparatorDetected = decimalSeparator is null && DecimalSeparator == ',';
            _keyColumns = [.. selection.Keys.Select(k => Find(k, "--keep"))];
            _labelColumn = selection.Label is null ? -1 : Find(selection.Label, "--label");
            if (selection.Features is { Count: > 0 } features)
            {
                _featureColumns = [.. features.Select(f => Find(f, selection.FeaturesOrigin))];
            }
            else
            {
                var excluded = new HashSet<int>(selection.Exclude.Select(e => Find(e, "--exclude")));
                excluded.UnionWith(_keyColumns);
                if (_labelColumn >= 0)
                {
                    excluded.Add(_labelColumn);
                }

                // Columns named like an id or a label are left out unless named in --features, and reported.
                int[] leftOut = [.. Enumerable.Range(0, header.Length).Where(i => !excluded.Contains(i) && ColumnRoles.IsIdOrLabel(header[i]))];
                LeftOutColumns = [.. leftOut.Select(i => header[i])];
                excluded.UnionWith(leftOut);
                _featureColumns = [.. Enumerable.Range(0, header.Length).Where(i => !excluded.Contains(i))];
            }

            if (_featureColumns.Length == 0)
            {
                throw new CsvDataException(Name, 1, null, "no feature columns are left; name them with --features.");
            }

            FeatureNames = [.. _featureColumns.Select(i => header[i])];
            Keys = new RowTextBuffer(_keyColumns.Length);
        }
        catch
        {
            _csv.Dispose();
            throw;
        }
    }

    /// <summary>The input's name in messages: its path, or "standard input".</summary>
    public string Name => _input.Name;

    /// <summary>The input being read (which file it is, for checks against outputs).</summary>
    public InputFile Input => _input;

    public BadRowPolicy Policy { get; }

    public IReadOnlyList<string> Header { get; }

    public char Delimiter => _csv.Separator;

    /// <summary>'.' or ',': as given, or detected from the first lines.</summary>
    public char DecimalSeparator { get; }

    /// <summary>True when a decimal comma was detected rather than asked for (worth telling the user).</summary>
    public bool DecimalSeparatorDetected { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Columns left out of the features because they are named like an id or a label (<see cref="ColumnRoles"/>).</summary>
    public IReadOnlyList<string> LeftOutColumns { get; } = [];

    public int FeatureCount => _featureColumns.Length;

    /// <summary>Key column names, in --keep order.</summary>
    public IReadOnlyList<string> KeyNames => [.. _keyColumns.Select(i => Header[i])];

    /// <summary>The key fields of the rows of the last block read without a buffer of its own, as text.</summary>
    public RowTextBuffer Keys { get; }

    /// <summary>Good rows read so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Rows left out under <see cref="BadRowPolicy.Skip"/>.</summary>
    public long SkippedRowCount { get; private set; }

    /// <summary>The line numbers of the first skipped rows.</summary>
    public IReadOnlyList<long> FirstSkippedLines => _firstSkippedLines;

    /// <summary>Share of the input's bytes consumed (compressed bytes for gzip; 0 for a pipe), for progress bars.</summary>
    public double Fraction => _input.Fraction;

    /// <summary>Opens the file at <paramref name="path"/> (gzip is detected by its first bytes).</summary>
    public static CsvFeatureReader Open(string path, char? delimiter, ColumnSelection selection, BadRowPolicy policy, char? decimalSeparator = null) =>
        Open(InputFile.Open(path, streams: null), delimiter, selection, policy, decimalSeparator);

    /// <summary>Reads <paramref name="input"/>, which the reader then owns; a null separator is detected.</summary>
    public static CsvFeatureReader Open(InputFile input, char? delimiter, ColumnSelection selection, BadRowPolicy policy, char? decimalSeparator = null)
    {
        try
        {
            return new CsvFeatureReader(input, delimiter, decimalSeparator, selection, policy);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads up to <c>features.Length / FeatureCount</c> good rows into <paramref name="features"/> (row-major), their
    /// labels into <paramref name="labels"/> (when a label column is set) and key fields into <paramref name="keys"/>
    /// (default <see cref="Keys"/>). Returns the rows read; 0 at the end.
    /// </summary>
    public int ReadBlock(Span<float> features, Span<bool> labels = default, RowTextBuffer? keys = null)
    {
        int width = _featureColumns.Length;
        int capacity = features.Length / width;
        keys ??= Keys;
        keys.Clear();
        int rows = 0;
        while (rows < capacity && ReadRecord())
        {
            if (TryParseRow(features.Slice(rows * width, width), keys, out bool label))
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

    public void Dispose() => _csv.Dispose();

    private bool TryParseRow(Span<float> row, RowTextBuffer keys, out bool label)
    {
        label = false;
        if (_csv.FieldCount != Header.Count)
        {
            return Bad(null, $"expected {Header.Count} fields as in the header, found {_csv.FieldCount}.");
        }

        for (int j = 0; j < _featureColumns.Length; j++)
        {
            int c = _featureColumns[j];
            ReadOnlySpan<byte> field = _csv.GetSpan(c);
            if (!NumberParser.TryParse(field, DecimalSeparator, out float value) || !float.IsFinite(value))
            {
                return Bad(c, NotANumber(field));
            }

            row[j] = value;
        }

        if (_labelColumn >= 0 && !LabelParser.TryParse(_csv.GetSpan(_labelColumn), DecimalSeparator, out label))
        {
            return Bad(_labelColumn, $"label '{Shorten(Encoding.UTF8.GetString(_csv.GetSpan(_labelColumn)))}' is not {LabelParser.Accepted}.");
        }

        foreach (int c in _keyColumns)
        {
            keys.AddUtf8(_csv.GetSpan(c));
        }

        return true;
    }

    /// <summary>Why a feature field is not read as a number, with the flag that fixes a wrong decimal separator.</summary>
    private string NotANumber(ReadOnlySpan<byte> field)
    {
        string text = Encoding.UTF8.GetString(field);
        if (string.IsNullOrWhiteSpace(text))
        {
            return "the value is missing.";
        }

        char other = DecimalSeparator == '.' ? ',' : '.';
        if (text.Contains(other, StringComparison.Ordinal) && text.Any(char.IsAsciiDigit))
        {
            return DecimalSeparator == '.'
                ? $"'{Shorten(text)}' is not a number with a decimal point; if the file uses decimal commas, add --decimal-separator comma (thousands separators are never read)."
                : $"'{Shorten(text)}' is not a number with a decimal comma; if the file uses decimal points, add --decimal-separator point (thousands separators are never read).";
        }

        return $"'{Shorten(text)}' is not a finite number.";
    }

    private bool Bad(int? column, string problem)
    {
        if (Policy == BadRowPolicy.Fail)
        {
            string? name = column is int c ? $"'{Shorten(Header[c])}' (#{c + 1})" : null;
            throw new CsvDataException(Name, _csv.LineNumber, name, problem + " Use --bad-rows skip to leave such rows out.");
        }

        SkippedRowCount++;
        if (_firstSkippedLines.Count < SkippedLinesKept)
        {
            _firstSkippedLines.Add(_csv.LineNumber);
        }

        return false;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private bool ReadRecord() => Guard(_csv.Read);

    /// <summary>Turns CsvHelper's malformed-input errors into ours, with the input's name.</summary>
    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CsvFormatException e)
        {
            throw new CsvDataException(Name, e.LineNumber, null, e.Message);
        }
    }

    private int Find(string name, string option)
    {
        for (int i = 0; i < Header.Count; i++)
        {
            if (string.Equals(Header[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        string columns = string.Join(", ", Header.Take(ListedColumns).Select(Shorten));
        string more = Header.Count > ListedColumns ? $", ... ({Header.Count} columns in all)" : "";
        throw new CsvDataException(Name, 1, null, $"{option} names column '{Shorten(name)}', which the header does not have. Columns: {columns}{more}.");
    }
}
