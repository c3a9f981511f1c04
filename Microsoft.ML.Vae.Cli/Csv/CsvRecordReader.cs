using System.Buffers;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Splits RFC 4180 text into records and fields without allocating per row: fields are ranges of one char buffer.
/// </summary>
/// <remarks>
/// Why not CsvHelper: its per-field string/conversion layer measured several times slower than this span scanner on
/// wide numeric files (see benchmarks/CliScale, "parse" mode), and the score command's budget is half the batch
/// scoring rate. This reader only finds field boundaries (vectorized IndexOfAny); numbers are parsed straight from
/// the spans. Quoted fields may hold delimiters, doubled quotes and line breaks; line numbers count physical lines.
/// </remarks>
internal sealed class CsvRecordReader
{
    private const int InitialBufferSize = 1 << 16;

    private readonly TextReader _reader;
    private readonly string _file;
    private char[] _buffer = new char[InitialBufferSize];
    private int _position;
    private int _end;
    private bool _eof;
    private SearchValues<char> _stops;
    private char _delimiter;

    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];
    private bool[] _escaped = new bool[64];
    private char[] _scratch = new char[256];
    private long _nextLine = 1;

    public CsvRecordReader(TextReader reader, string file, char? delimiter)
    {
        _reader = reader;
        _file = file;
        _delimiter = delimiter ?? DetectDelimiter();
        _stops = SearchValues.Create([_delimiter, '\r', '\n']);
    }

    /// <summary>The field delimiter, given or detected from the first line.</summary>
    public char Delimiter => _delimiter;

    /// <summary>Fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>1-based physical line where the current record starts.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the next record; false at the end of the text. Blank lines are skipped.</summary>
    public bool Read()
    {
        while (true)
        {
            int embeddedLines = 0;
            int status = TryParseRecord(ref embeddedLines);
            if (status > 0)
            {
                LineNumber = _nextLine;
                _nextLine += 1 + embeddedLines;
                if (FieldCount == 1 && _lengths[0] == 0 && !_escaped[0])
                {
                    continue; // blank line
                }

                return true;
            }

            if (status == 0)
            {
                return false;
            }

            Fill(); // incomplete record in the buffer: read more and parse it again from its start
        }
    }

    /// <summary>The unquoted text of field <paramref name="index"/>; valid until the next call.</summary>
    public ReadOnlySpan<char> GetField(int index)
    {
        ReadOnlySpan<char> raw = _buffer.AsSpan(_starts[index], _lengths[index]);
        if (!_escaped[index])
        {
            return raw;
        }

        if (_scratch.Length < raw.Length)
        {
            _scratch = new char[raw.Length * 2];
        }

        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            _scratch[n++] = raw[i];
            if (raw[i] == '"')
            {
                i++; // a doubled quote stands for one
            }
        }

        return _scratch.AsSpan(0, n);
    }

    public string GetFieldString(int index) => new(GetField(index));

    // 1 = a record, 0 = end of text, -1 = need more text.
    private int TryParseRecord(ref int embeddedLines)
    {
        char[] buf = _buffer;
        int i = _position;
        int count = 0;
        if (i == _end)
        {
            return _eof ? 0 : -1;
        }

        while (true)
        {
            if (count == _starts.Length)
            {
                Array.Resize(ref _starts, count * 2);
                Array.Resize(ref _lengths, count * 2);
                Array.Resize(ref _escaped, count * 2);
            }

            bool escaped = false;
            int start, length;
            if (i < _end && buf[i] == '"')
            {
                start = i + 1;
                int j = start;
                while (true)
                {
                    int k = buf.AsSpan(j, _end - j).IndexOf('"');
                    if (k < 0)
                    {
                        if (_eof)
                        {
                            throw new CsvDataException(_file, _nextLine, $"#{count + 1}", "a quoted field is not closed before the end of the file.");
                        }

                        return -1;
                    }

                    embeddedLines += CountLineBreaks(buf.AsSpan(j, k));
                    j += k;
                    if (j + 1 == _end && !_eof)
                    {
                        return -1; // cannot tell a doubled quote from a closing one yet
                    }

                    if (j + 1 < _end && buf[j + 1] == '"')
                    {
                        escaped = true;
                        j += 2;
                        continue;
                    }

                    break;
                }

                length = j - start;
                i = j + 1;
                if (i < _end && buf[i] != _delimiter && buf[i] != '\r' && buf[i] != '\n')
                {
                    throw new CsvDataException(_file, _nextLine + embeddedLines, $"#{count + 1}",
                        $"unexpected '{buf[i]}' after a closing quote (a quote inside a quoted field must be doubled).");
                }
            }
            else
            {
                start = i;
                int k = buf.AsSpan(i, _end - i).IndexOfAny(_stops);
                if (k < 0)
                {
                    if (!_eof)
                    {
                        return -1;
                    }

                    k = _end - i;
                }

                length = k;
                i += k;
            }

            _starts[count] = start;
            _lengths[count] = length;
            _escaped[count] = escaped;
            count++;

            if (i == _end)
            {
                if (!_eof)
                {
                    return -1;
                }

                break; // last record without a line break
            }

            char c = buf[i];
            if (c == _delimiter)
            {
                i++;
                continue;
            }

            if (c == '\r')
            {
                if (i + 1 == _end && !_eof)
                {
                    return -1;
                }

                i += i + 1 < _end && buf[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                i++;
            }

            break;
        }

        FieldCount = count;
        _position = i;
        return 1;
    }

    private static int CountLineBreaks(ReadOnlySpan<char> text)
    {
        // \r\n counts once: count \n, plus lone \r.
        int lines = text.Count('\n');
        for (int i = text.IndexOf('\r'); i >= 0 && i < text.Length; i++)
        {
            if (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))
            {
                lines++;
            }
        }

        return lines;
    }

    private void Fill()
    {
        if (_eof)
        {
            throw new InvalidOperationException("Fill after end of text.");
        }

        int remaining = _end - _position;
        if (_position > 0)
        {
            Array.Copy(_buffer, _position, _buffer, 0, remaining);
        }
        else if (remaining == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a record longer than the buffer
        }

        _position = 0;
        _end = remaining;
        int read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private char DetectDelimiter()
    {
        while (true)
        {
            ReadOnlySpan<char> text = _buffer.AsSpan(_position, _end - _position);
            int newline = text.IndexOfAny('\r', '\n');
            if (newline >= 0 || _eof)
            {
                return DelimiterDetector.Detect(newline >= 0 ? text[..newline] : text);
            }

            Fill();
        }
    }
}
