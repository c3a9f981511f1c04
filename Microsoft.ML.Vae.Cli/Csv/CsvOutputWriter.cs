using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Writes comma-separated UTF-8 rows to a stream (gzip-compressed when asked), quoting
/// only the fields that need it (RFC 4180). Values are formatted straight into one reused byte buffer (numbers as
/// UTF-8, no strings, no UTF-16 pass): formatting is half of the score command's non-scoring work.
/// </summary>
internal sealed class CsvOutputWriter : IDisposable
{
    private const byte Delimiter = (byte)',';
    private const int FlushThreshold = 1 << 16;
    private readonly GZipStream? _gzip;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[FlushThreshold * 2];
    private int _length;
    private bool _rowStarted;

    /// <summary>Writes to <paramref name="output"/> (left open), through gzip when <paramref name="gzip"/>.</summary>
    public CsvOutputWriter(Stream output, bool gzip)
    {
        _gzip = gzip ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : null;
        _stream = (Stream?)_gzip ?? output;
    }

    public void Write(ReadOnlySpan<char> text)
    {
        StartField();
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
        StartField();
        Reserve(32);
        int start = _length;
        value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
        return start;
    }

    public void Write(bool value) => Write(value ? "true" : "false");

    /// <summary>Bytes of the current row so far; with <see cref="WriteCopy"/>, repeats a field of this row.</summary>
    public int Position => _length;

    /// <summary>Writes again the bytes [start, start + length) of the current row as a new field.</summary>
    public void WriteCopy(int start, int length)
    {
        StartField();
        Reserve(length);
        _buffer.AsSpan(start, length).CopyTo(_buffer.AsSpan(_length));
        _length += length;
    }

    public void EndRow()
    {
        Reserve(1);
        _buffer[_length++] = (byte)'\n';
        _rowStarted = false;
        if (_length >= FlushThreshold)
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }

    /// <summary>Writes out what is buffered (and the gzip footer); the stream then holds the whole file.</summary>
    public void Complete()
    {
        _stream.Write(_buffer, 0, _length);
        _length = 0;
        _gzip?.Dispose();
    }

    public void Dispose() => _gzip?.Dispose();

    private void StartField()
    {
        if (_rowStarted)
        {
            Reserve(1);
            _buffer[_length++] = Delimiter;
        }

        _rowStarted = true;
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }
    }
}
