using System.Text;
using CsvHelper;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Reads a CSV input with a header row: comma, semicolon, tab or pipe separated (detected), RFC 4180 quotes. Bad rows
/// (missing or non-numeric value, wrong field count) fail or are skipped; malformed quoting always fails. Errors name
/// the file, the line where the record starts and the column.
/// </summary>
/// <remarks>
/// Built on CsvHelper's UTF-8 reader (RFC 4180 quoting, separator detection, line tracking), which hands out each
/// field's bytes; numbers go through <see cref="NumberParser"/>, which reads the input's decimal separator and never a
/// thousands separator, with a fast path of its own (the BCL's float parsing alone was the bottleneck of a hand-written
/// reader, benchmarks/CliScale parse). Sep, measured against it on the same file, split rows no faster (it decodes to
/// UTF-16 first) and, bare, parsed floats at a third of its rate (benchmarks/README.md, CLI scale).
/// </remarks>
internal sealed class CsvFeatureReader : FeatureReader
{
    /// <summary>Bytes read ahead to detect the decimal separator from the first lines.</summary>
    private const int DetectionBytes = 64 * 1024;

    /// <summary>The longest record read: an unclosed quote near the start of a large input must not become one huge field.</summary>
    private const int MaxRecordBytes = 64 << 20;

    private readonly CsvReader _csv;
    private readonly int _columnCount;

    private CsvFeatureReader(InputFile input, char? delimiter, char? decimalSeparator, ColumnSelection selection, BadRowPolicy policy)
        : base(input, policy)
    {
        (byte[] start, int length, Stream stream) = ReplayStream.Peek(input.Stream, DetectionBytes);
        if (start.AsSpan(0, length).StartsWith("PAR1"u8))
        {
            stream.Dispose();
            throw new CsvDataException(Name, 0, null,
                "this is a Parquet file, read as CSV because of its name; Parquet is read from a file whose name ends in .parquet (not from standard input).");
        }

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

            _columnCount = header.Length;
            DecimalSeparator = decimalSeparator ?? DecimalSeparatorOption.Detect(start.AsSpan(0, length), _csv.Separator);
            DecimalSeparatorDetected = decimalSeparator is null && DecimalSeparator == ',';
            Layout = ColumnLayout.Resolve(header, selection, "the header", problem => new CsvDataException(Name, 1, null, problem));
        }
        catch
        {
            _csv.Dispose();
            throw;
        }
    }

    public override string PositionName => "line";

    public char Delimiter => _csv.Separator;

    /// <summary>'.' or ',': as given, or detected from the first lines.</summary>
    public char DecimalSeparator { get; }

    /// <summary>True when a decimal comma was detected rather than asked for (worth telling the user).</summary>
    public bool DecimalSeparatorDetected { get; }

    /// <summary>Opens the file at <paramref name="path"/> (gzip is detected by its first bytes).</summary>
    public static CsvFeatureReader Open(string path, char? delimiter, ColumnSelection selection, BadRowPolicy policy, char? decimalSeparator = null) =>
        Open(InputFile.Open(path, streams: null), delimiter, selection, policy, decimalSeparator);

    /// <summary>Reads <paramref name="input"/>, which the reader then owns; a null separator is detected.</summary>
    public static CsvFeatureReader Open(InputFile input, char? delimiter, ColumnSelection selection, BadRowPolicy policy, char? decimalSeparator = null) =>
        Owning(input, () => new CsvFeatureReader(input, delimiter, decimalSeparator, selection, policy));

    /// <summary>
    /// Reads up to <c>features.Length / FeatureCount</c> good rows into <paramref name="features"/> (row-major), their
    /// labels into <paramref name="labels"/> (when a label column is set) and key fields into <paramref name="keys"/>
    /// (default <see cref="Keys"/>). Returns the rows read; 0 at the end.
    /// </summary>
    public override int ReadBlock(Span<float> features, Span<bool> labels = default, RowTextBuffer? keys = null)
    {
        int width = Layout.Features.Length;
        int capacity = features.Length / width;
        keys ??= Keys;
        keys.Clear();
        int rows = 0;
        while (rows < capacity && ReadRecord())
        {
            if (TryParseRow(features.Slice(rows * width, width), keys, out bool label))
            {
                if (Layout.Label >= 0 && !labels.IsEmpty)
                {
                    labels[rows] = label;
                }

                rows++;
            }
        }

        RowCount += rows;
        return rows;
    }

    public override InputDataException DataError(string problem) => new CsvDataException(Name, 0, null, problem);

    public override void Dispose()
    {
        _csv.Dispose();
        base.Dispose();
    }

    private bool TryParseRow(Span<float> row, RowTextBuffer keys, out bool label)
    {
        label = false;
        if (_csv.FieldCount != _columnCount)
        {
            return Bad(null, $"expected {_columnCount} fields as in the header, found {_csv.FieldCount}.");
        }

        int[] columns = Layout.Features;
        for (int j = 0; j < columns.Length; j++)
        {
            int c = columns[j];
            ReadOnlySpan<byte> field = _csv.GetSpan(c);
            if (!NumberParser.TryParse(field, DecimalSeparator, out float value) || !float.IsFinite(value))
            {
                return Bad(c, NotANumber(field));
            }

            row[j] = value;
        }

        int labelColumn = Layout.Label;
        if (labelColumn >= 0 && !LabelParser.TryParse(_csv.GetSpan(labelColumn), DecimalSeparator, out label))
        {
            return Bad(labelColumn, $"label '{Shorten(Encoding.UTF8.GetString(_csv.GetSpan(labelColumn)))}' is not {LabelParser.Accepted}.");
        }

        foreach (int c in Layout.Keys)
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
        long line = _csv.LineNumber;
        return Bad(line, () => new CsvDataException(Name, line, column is int c ? Layout.Describe(c) : null, problem + SkipAdvice));
    }

    private static string Shorten(string text) => ColumnLayout.Shorten(text);

    /// <summary>The next record; CsvHelper's malformed-input errors become ours (no delegate per row: this is the per-row path).</summary>
    private bool ReadRecord()
    {
        try
        {
            return _csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw Malformed(e);
        }
    }

    /// <summary>Turns CsvHelper's malformed-input errors into ours, with the input's name.</summary>
    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CsvFormatException e)
        {
            throw Malformed(e);
        }
    }

    /// <summary>CsvHelper's malformed-input error as ours, with the input's name.</summary>
    private CsvDataException Malformed(CsvFormatException e) => new(Name, e.LineNumber, null, e.Message);
}
