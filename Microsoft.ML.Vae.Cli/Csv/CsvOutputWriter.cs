using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Writes comma-separated UTF-8 rows to a stream (gzip-compressed when asked), or only into its buffer, quoting
/// only the fields that need it (RFC 4180). Values are formatted straight into one reused byte buffer (numbers as
/// UTF-8, no strings, no UTF-16 pass): formatting is a good part of the score command's own work, so the score
/// command formats blocks on its scorer threads into buffer-only writers and writes their bytes in order.
/// </summary>
internal sealed class CsvOutputWriter : IDisposable
{
    private const byte Delimiter = (byte)',';
    private const int FlushThreshold = 1 << 16;
    private readonly GZipStream? _gzip;
    private readonly Stream? _stream;
    private byte[] _buffer = new byte[FlushThreshold * 2];
    private int _length;
    private bool _rowStarted;

    /// <summary>Writes to <paramref name="output"/> (left open), through gzip when <paramref name="gzip"/>.</summary>
    public CsvOutputWriter(Stream output, bool gzip)
    {
        _gzip = gzip ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : null;
        _stream = (Stream?)_gzip ?? output;
    }

    /// <summary>A writer that only fills its buffer (<see cref="Buffered"/>), for rows formatted ahead of writing.</summary>
    public CsvOutputWriter()
    {
    }

    /// <summary>The bytes formatted and not yet written (all of them for a buffer-only writer).</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(0, _length);

    /// <summary>Forgets the buffered bytes (a buffer-only writer, reused for the next block).</summary>
    public void Clear()
    {
        _length = 0;
        _rowStarted = false;
    }

    public void Write(ReadOnlySpan<char> text)
    {
        Span<byte> field = StartField(text.Length);
        if (TryCopyPlain(text, field))
        {
            _length += text.Length;
            return;
        }

        if (text.IndexOfAny(',', '"', '\n') < 0 && text.IndexOf('\r') < 0)
        {
            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
            return;
        }

        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length * 2 + 2));
        _buffer[_length++] = (byte)'"';
        foreach (Range part in text.Split('"'))
        {
            if (part.Start.Value > 0)
            {
                _buffer[_length++] = (byte)'"'; // each quote inside doubled: the one split on, and this one
                _buffer[_length++] = (byte)'"';
            }

            _length += Encoding.UTF8.GetBytes(text[part], _buffer.AsSpan(_length));
        }

        _buffer[_length++] = (byte)'"';
    }

    /// <summary>Writes <paramref name="value"/> (shortest round-trip form); returns where its bytes start in the row.</summary>
    public int Write(float value)
    {
        Span<byte> field = StartField(FloatFormatter.MaxLength);
        int start = _length;
        _length += FloatFormatter.Format(value, field);
        return start;
    }

    public void Write(bool value)
    {
        // Each literal copied on its own branch: a constant length, so a store or two instead of a memmove call.
        Span<byte> field = StartField(5);
        if (value)
        {
            "true"u8.CopyTo(field);
            _length += 4;
        }
        else
        {
            "false"u8.CopyTo(field);
            _length += 5;
        }
    }

    /// <summary>Bytes of the current row so far; with <see cref="WriteCopy"/>, repeats a field of this row.</summary>
    public int Position => _length;

    /// <summary>Writes again the bytes [start, start + length) of the current row as a new field.</summary>
    public void WriteCopy(int start, int length)
    {
        Span<byte> field = StartField(length);
        _buffer.AsSpan(start, length).CopyTo(field);
        _length += length;
    }

    /// <summary>Writes whole rows formatted by a buffer-only writer, after what this writer holds.</summary>
    public void WriteRows(ReadOnlySpan<byte> rows)
    {
        if (_stream is null)
        {
            throw new InvalidOperationException("A buffer-only writer has no stream to write rows to.");
        }

        _stream.Write(_buffer, 0, _length);
        _length = 0;
        _stream.Write(rows);
    }

    public void EndRow()
    {
        Reserve(1);
        _buffer[_length++] = (byte)'\n';
        _rowStarted = false;
        if (_length >= FlushThreshold && _stream is not null)
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }

    /// <summary>Writes out what is buffered (and the gzip footer); the stream then holds the whole file.</summary>
    public void Complete()
    {
        _stream?.Write(_buffer, 0, _length);
        _length = 0;
        _gzip?.Dispose();
    }

    public void Dispose() => _gzip?.Dispose();

    /// <summary>
    /// Copies printable ASCII without a comma or quote (ids, names: most text) byte for byte in one pass; false for
    /// anything else, which the general path encodes and quotes as needed.
    /// </summary>
    private static bool TryCopyPlain(ReadOnlySpan<char> text, Span<byte> field)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c - 0x20u >= 0x7F - 0x20 || c is ',' or '"')
            {
                return false;
            }

            field[i] = (byte)c;
        }

        return true;
    }

    /// <summary>
    /// Makes room for the delimiter and <paramref name="bytes"/> more (one check per field), writes the delimiter unless
    /// the field starts the row, and returns the free space from where the field goes.
    /// </summary>
    private Span<byte> StartField(int bytes)
    {
        Reserve(bytes + 1);
        if (_rowStarted)
        {
            _buffer[_length++] = Delimiter;
        }

        _rowStarted = true;
        return _buffer.AsSpan(_length);
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }
    }
}
