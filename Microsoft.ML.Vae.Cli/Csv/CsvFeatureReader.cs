using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
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
/// reader, benchmarks/CliScale parse). Sep, measured against it on the same file, was not faster: it decodes to UTF-16
/// first (benchmarks/README.md, CLI scale).
/// <para>
/// Parsing can run on several threads (<see cref="ReadBlock(FeatureBlock)"/>, <see cref="ParseBlock"/>): the reading
/// thread only cuts the input into blocks of whole lines, and each block is parsed by its own CsvHelper reader over
/// those bytes. A cut after a line feed is a record boundary as long as no quote came before it, so the input is read
/// this way while its blocks hold no quote character and no line break other than LF or CR LF (the first line of data
/// and the header must be found in the first bytes, too); from the first block that does, the rest of the input is
/// read by one CsvHelper reader in order, with the same results and errors. Every such reader starts at the line feed
/// before its text (<see cref="InputText.FromLineBreak"/>). (A splitter of the tool's own for such plain blocks, finding field ends eight bytes at a time, measured
/// no faster than CsvHelper's vectorized scan, so CsvHelper splits every block.)
/// </para>
/// </remarks>
internal sealed partial class CsvFeatureReader : FeatureReader
{
    /// <summary>Bytes read ahead to detect the decimal separator from the first lines.</summary>
    private const int DetectionBytes = 64 * 1024;

    /// <summary>The longest record read: an unclosed quote near the start of a large input must not become one huge field.</summary>
    private const int MaxRecordBytes = 64 << 20;

    /// <summary>The most bytes asked of the input at a time, when cutting it into blocks.</summary>
    private const int ReadBytes = 256 * 1024;

    /// <summary>A block this long without a line feed (lines ending in a bare CR, or a huge record) is read in order instead.</summary>
    private const int MaxBlockBytes = 16 << 20;

    private readonly int _columnCount;
    private readonly InputText _carry = new();
    private readonly InputText _own = new();

    /// <summary>The input after the bytes cut into blocks so far (null once it is read in order).</summary>
    private Stream? _rest;

    /// <summary>The reader in input order: over the whole input, or from the first block that could not be cut.</summary>
    private CsvReader? _csv;

    /// <summary>Added to <see cref="_csv"/>'s line numbers (the line it started on, less one).</summary>
    private long _lineOffset;

    /// <summary>The input's line number where the next block starts.</summary>
    private long _nextLine;

    /// <summary>Whether <see cref="_rest"/> has no more bytes.</summary>
    private bool _restEnded;

    /// <summary>Whether reading in order met an error, which ends the reading.</summary>
    private bool _failed;

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

        CsvReaderOptions options = Options(delimiter, header: true);
        string[] header;
        try
        {
            if (ReadHeaderFromStart(start, length, options, out header, out char separator, out int dataStart, out long dataLine))
            {
                CutBlocksFrom(start, length, dataStart, dataLine, stream);
            }
            else
            {
                _csv = CsvReader.Create(stream, options, leaveOpen: false);
                header = Guard(() => TrimmedHeader(_csv));
                separator = _csv.Separator;
            }

            Delimiter = separator;
            if (header.Length == 0)
            {
                throw new CsvDataException(Name, 0, null, "the input is empty; a header row naming the columns is expected.");
            }

            _columnCount = header.Length;
            DecimalSeparator = decimalSeparator ?? DecimalSeparatorOption.Detect(start.AsSpan(0, length), separator);
            DecimalSeparatorDetected = decimalSeparator is null && DecimalSeparator == ',';
            Layout = ColumnLayout.Resolve(header, selection, "the header", problem => new CsvDataException(Name, 1, null, problem));
        }
        catch
        {
            (_csv as IDisposable ?? stream).Dispose();
            throw;
        }
    }

    public override string PositionName => "line";

    public char Delimiter { get; }

    /// <summary>'.' or ',': as given, or detected from the first lines.</summary>
    public char DecimalSeparator { get; }

    /// <summary>True when a decimal comma was detected rather than asked for (worth telling the user).</summary>
    public bool DecimalSeparatorDetected { get; }

    /// <summary>Whether blocks are being parsed apart (false once, or from the start, the input is read in order).</summary>
    internal bool ParsesBlocksApart => _csv is null;

    /// <summary>Opens the file at <paramref name="path"/> (gzip is detected by its first bytes).</summary>
    public static CsvFeatureReader Open(string path, char? delimiter, ColumnSelection selection, BadRowPolicy policy, char? decimalSeparator = null) =>
        Open(InputFile.Open(path, streams: null), delimiter, selection, policy, decimalSeparator);

    /// <summary>Reads <paramref name="input"/>, which the reader then owns; a null separator is detected.</summary>
    public static CsvFeatureReader Open(InputFile input, char? delimiter, ColumnSelection selection, BadRowPolicy policy, char? decimalSeparator = null) =>
        Owning(input, () => new CsvFeatureReader(input, delimiter, decimalSeparator, selection, policy));

    protected override int ReadRows(Span<float> features, Span<bool> labels, RowTextBuffer keys)
    {
        int width = Layout.Features.Length;
        int capacity = features.Length / width;
        int rows = 0;
        while (rows < capacity && _csv is null && CutBlock(_own, capacity - rows))
        {
            if (_csv is null)
            {
                rows += ParseText(_own, features[(rows * width)..], labels.IsEmpty ? labels : labels[rows..], keys, BadRows);
            }
        }

        if (rows < capacity && _csv is not null)
        {
            rows += ReadRecords(_csv, _lineOffset, features[(rows * width)..], labels.IsEmpty ? labels : labels[rows..], keys, BadRows);
        }

        return rows;
    }

    /// <summary>
    /// Cuts the next block of whole lines for <see cref="ParseBlock"/>; once the input is read in order, parses the
    /// block here. Bad-row errors wait in the block for <see cref="FeatureReader.CommitBlock"/>.
    /// </summary>
    public override bool ReadBlock(FeatureBlock block)
    {
        block.Reset();
        if (_failed)
        {
            return false;
        }

        block.Uncommitted = true;
        if (_csv is null)
        {
            if (!CutBlock(block.RawText, block.Capacity))
            {
                return false;
            }

            if (_csv is null)
            {
                return true; // the block's text waits for ParseBlock
            }
        }

        try
        {
            block.Rows = ReadRecords(_csv, _lineOffset, block.Features, block.Labels, block.Keys, block.BadRows);
        }
        catch (InputDataException e)
        {
            block.Error = ExceptionDispatchInfo.Capture(e);
            _failed = true; // the command stops at this block; nothing after it is read
        }

        return block.Rows > 0 || block.BadRows.Count > 0 || block.Error is not null;
    }

    public override void ParseBlock(FeatureBlock block)
    {
        if (block.RawText.Length == 0)
        {
            return;
        }

        try
        {
            block.Rows = ParseText(block.RawText, block.Features, block.Labels, block.Keys, block.BadRows);
        }
        catch (InputDataException e)
        {
            block.Error = ExceptionDispatchInfo.Capture(e);
        }

        block.RawText.Length = 0;
    }

    public override InputDataException DataError(string problem) => new CsvDataException(Name, 0, null, problem);

    public override void Dispose()
    {
        _csv?.Dispose();
        _rest?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Reads the header from the first bytes alone, when they hold it and the start of a first data record after a line
    /// feed; false when the input should be read in order from the start (a longer header, UTF-16 or UTF-32 text, no
    /// data row in the first bytes, anything CsvHelper finds malformed there).
    /// </summary>
    private static bool ReadHeaderFromStart(byte[] start, int length, CsvReaderOptions options, out string[] header, out char separator, out int dataStart,
        out long dataLine)
    {
        header = [];
        separator = default;
        dataStart = 0;
        dataLine = 0;
        if (length == 0 || start[0] is 0x00 or 0xFE or 0xFF)
        {
            return false; // empty, or a UTF-16/32 byte order mark: CsvHelper transcodes, and byte offsets are no longer the file's
        }

        try
        {
            using CsvReader prefix = CsvReader.Create(start.AsMemory(0, length), options);
            header = TrimmedHeader(prefix);
            if (!prefix.Read() || prefix.ByteOffset <= 0 || prefix.ByteOffset >= length || start[prefix.ByteOffset - 1] != (byte)'\n')
            {
                return false;
            }

            separator = prefix.Separator;
            dataStart = (int)prefix.ByteOffset;
            dataLine = prefix.LineNumber;
            return true;
        }
        catch (CsvFormatException)
        {
            return false; // read in order from the start, which reports it where it is
        }
    }

    private static string[] TrimmedHeader(CsvReader csv) => [.. csv.Headers.Select(h => h.Trim())];

    /// <summary>Cuts blocks from <paramref name="dataStart"/> on: the rest of the peeked bytes first, then the rest of the input.</summary>
    private void CutBlocksFrom(byte[] start, int length, int dataStart, long dataLine, Stream stream)
    {
        _carry.Reserve(length - dataStart);
        start.AsSpan(dataStart, length - dataStart).CopyTo(_carry.Bytes);
        _carry.Length = length - dataStart;
        stream.ReadExactly(start, 0, length); // the peeked bytes again: the rest of the input follows them
        _rest = stream;
        _nextLine = dataLine;
    }

    /// <summary>
    /// Fills <paramref name="text"/> with the next whole lines, at most <paramref name="maxLines"/> line feeds; false at
    /// the end. When the block holds a quote character or a bare CR, or no line feed in <see cref="MaxBlockBytes"/>, the
    /// input from the block's start on is handed to one reader in order (<see cref="_csv"/>) instead.
    /// </summary>
    private bool CutBlock(InputText text, int maxLines)
    {
        Stream rest = _rest!;
        text.Length = 0;
        text.FirstLine = _nextLine;
        text.Reserve(_carry.Length);
        _carry.Bytes[.._carry.Length].CopyTo(text.Bytes);
        text.Length = _carry.Length;
        _carry.Length = 0;
        int scanned = 0, lines = 0, cut = 0;
        while (true)
        {
            while (lines < maxLines)
            {
                int next = text.Bytes[scanned..text.Length].IndexOf((byte)'\n');
                if (next < 0)
                {
                    scanned = text.Length;
                    break;
                }

                scanned += next + 1;
                cut = scanned;
                lines++;
            }

            if (lines == maxLines || _restEnded)
            {
                break;
            }

            if (cut == 0 && text.Length >= MaxBlockBytes)
            {
                ReadRestInOrder(text);
                return true;
            }

            // Bounded reads: what a read brings past the cut is copied to the next block.
            text.Reserve(ReadBytes / 4);
            int read = rest.Read(text.Bytes.Slice(text.Length, Math.Min(text.Bytes.Length - text.Length, ReadBytes)));
            text.Length += read;
            _restEnded = read == 0;
        }

        if (_restEnded && lines < maxLines)
        {
            cut = text.Length; // the last line may have no line break
        }

        if (cut == 0)
        {
            return false;
        }

        // One pass finds neither in plain text; only from the first quote or CR on is there more to look at.
        ReadOnlySpan<byte> block = text.Bytes[..cut];
        int special = block.IndexOfAny((byte)'"', (byte)'\r');
        if (special >= 0 && (block[special..].Contains((byte)'"') || HasBareCarriageReturn(block[special..])))
        {
            ReadRestInOrder(text);
            return true;
        }

        _carry.Reserve(text.Length - cut);
        text.Bytes[cut..text.Length].CopyTo(_carry.Bytes);
        _carry.Length = text.Length - cut;
        text.Length = cut;
        _nextLine += lines;
        return true;
    }

    /// <summary>Whether some CR in <paramref name="text"/> is not followed by LF (CsvHelper counts it as a line break of its own).</summary>
    private static bool HasBareCarriageReturn(ReadOnlySpan<byte> text)
    {
        for (int at = text.IndexOf((byte)'\r'); at >= 0;)
        {
            if (at + 1 >= text.Length || text[at + 1] != (byte)'\n')
            {
                return true;
            }

            int next = text[(at + 1)..].IndexOf((byte)'\r');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    /// <summary>Reads the input from <paramref name="text"/>'s start on with one reader, in order.</summary>
    private void ReadRestInOrder(InputText text)
    {
        byte[] read = text.FromLineBreak.ToArray();
        _csv = CsvReader.Create(new ReplayStream(read, read.Length, _rest!), Options(Delimiter, header: false), leaveOpen: false);
        _rest = null;
        _lineOffset = text.FirstLine - 2; // the reader's first line is the line break before the text
        text.Length = 0;
    }

    /// <summary>CsvHelper's options, new for each reader (blocks are parsed on several threads); a null separator is detected.</summary>
    private static CsvReaderOptions Options(char? separator, bool header) => new()
    {
        Separator = separator,
        HasHeader = header,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw, // an unclosed quote must not swallow the rest of the file
        MaxRecordSize = MaxRecordBytes,
    };

    /// <summary>Parses a block cut by <see cref="CutBlock"/> with a CsvHelper reader of its own (any thread).</summary>
    private int ParseText(InputText text, Span<float> features, Span<bool> labels, RowTextBuffer keys, BadRowLog badRows)
    {
        using CsvReader csv = CsvReader.Create(text.FromLineBreak, Options(Delimiter, header: false));
        return ReadRecords(csv, text.FirstLine - 2, features, labels, keys, badRows); // its first line is the line break before the text
    }

    /// <summary>Reads records from <paramref name="csv"/> until <paramref name="features"/> is full or the records end; returns the good rows.</summary>
    private int ReadRecords(CsvReader csv, long lineOffset, Span<float> features, Span<bool> labels, RowTextBuffer keys, BadRowLog badRows)
    {
        int width = Layout.Features.Length;
        int capacity = features.Length / width;
        int rows = 0;
        while (rows < capacity && ReadRecord(csv, lineOffset))
        {
            if (TryParseRow(csv, lineOffset, features.Slice(rows * width, width), keys, badRows, out bool label))
            {
                if (Layout.Label >= 0 && !labels.IsEmpty)
                {
                    labels[rows] = label;
                }

                rows++;
            }
        }

        return rows;
    }

    private bool TryParseRow(CsvReader csv, long lineOffset, Span<float> row, RowTextBuffer keys, BadRowLog badRows, out bool label)
    {
        label = false;
        if (csv.FieldCount != _columnCount)
        {
            return Bad(csv, lineOffset, badRows, null);
        }

        int[] columns = Layout.Features;
        for (int j = 0; j < columns.Length; j++)
        {
            int c = columns[j];
            ReadOnlySpan<byte> field = csv.GetSpan(c);
            if (!NumberParser.TryParse(field, DecimalSeparator, out float value) || !float.IsFinite(value))
            {
                return Bad(csv, lineOffset, badRows, c);
            }

            row[j] = value;
        }

        int labelColumn = Layout.Label;
        if (labelColumn >= 0 && !LabelParser.TryParse(csv.GetSpan(labelColumn), DecimalSeparator, out label))
        {
            return Bad(csv, lineOffset, badRows, labelColumn);
        }

        foreach (int c in Layout.Keys)
        {
            keys.AddUtf8(csv.GetSpan(c));
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

    /// <summary>
    /// The record <paramref name="csv"/> is on is bad: its field count when <paramref name="column"/> is null, else that
    /// field. The message is read from the record only when the row fails (a skipped row costs no text).
    /// </summary>
    private bool Bad(CsvReader csv, long lineOffset, BadRowLog badRows, int? column)
    {
        long line = lineOffset + csv.LineNumber;
        return badRows.Bad(line, () => new CsvDataException(Name, line, column is int c ? Layout.Describe(c) : null, Problem(csv, column) + SkipAdvice));
    }

    private string Problem(CsvReader csv, int? column) => column switch
    {
        null => $"expected {_columnCount} fields as in the header, found {csv.FieldCount}.",
        int c when c == Layout.Label => $"label '{Shorten(Encoding.UTF8.GetString(csv.GetSpan(c)))}' is not {LabelParser.Accepted}.",
        int c => NotANumber(csv.GetSpan(c)),
    };

    private static string Shorten(string text) => ColumnLayout.Shorten(text);

    /// <summary>The next record; CsvHelper's malformed-input errors become ours (no delegate per row: this is the per-row path).</summary>
    private bool ReadRecord(CsvReader csv, long lineOffset)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw Malformed(e, lineOffset);
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
            throw Malformed(e, 0);
        }
    }

    /// <summary>
    /// CsvHelper's malformed-input error as ours, with the input's name and line. Its message's own record number, line
    /// and byte offset count from where its reader started, which may be a block of the input, so they are left out.
    /// </summary>
    private CsvDataException Malformed(CsvFormatException e, long lineOffset) =>
        new(Name, lineOffset + e.LineNumber, null, MalformedMessage().Match(e.Message) is { Success: true } m ? $"malformed CSV: {m.Groups["problem"].Value}." : e.Message);

    /// <summary>CsvHelper's "Malformed CSV in record 3 (line 4): a quoted field that is never closed (byte offset 122)."</summary>
    [GeneratedRegex(@"^Malformed CSV in record \d+(?: \(line \d+\))?: (?<problem>.+?)(?: \(byte offset \d+\))?\.?$", RegexOptions.Singleline)]
    private static partial Regex MalformedMessage();
}
