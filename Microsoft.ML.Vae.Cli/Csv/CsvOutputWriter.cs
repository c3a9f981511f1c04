using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Writes comma-separated rows to an <see cref="AtomicFileWriter"/> (gzip when the name ends in .gz), quoting only
/// the fields that need it (RFC 4180). Numbers are formatted into a reused buffer: no string per value.
/// </summary>
internal sealed class CsvOutputWriter : IDisposable
{
    private const char Delimiter = ',';
    private readonly AtomicFileWriter _file;
    private readonly StreamWriter _writer;
    private readonly GZipStream? _gzip;
    private readonly char[] _number = new char[32];
    private bool _rowStarted;
    private bool _committed;

    public CsvOutputWriter(string path)
    {
        _file = AtomicFileWriter.Create(path);
        _gzip = CsvFile.IsGzip(path) ? new GZipStream(_file.Stream, CompressionLevel.Fastest, leaveOpen: true) : null;
        _writer = new StreamWriter((Stream?)_gzip ?? _file.Stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
    }

    public void Write(ReadOnlySpan<char> text)
    {
        StartField();
        if (text.IndexOfAny(Delimiter, '"', '\n') < 0 && text.IndexOf('\r') < 0)
        {
            _writer.Write(text);
            return;
        }

        _writer.Write('"');
        foreach (char c in text)
        {
            if (c == '"')
            {
                _writer.Write('"');
            }

            _writer.Write(c);
        }

        _writer.Write('"');
    }

    public void Write(float value)
    {
        StartField();
        value.TryFormat(_number, out int written, default, CultureInfo.InvariantCulture);
        _writer.Write(_number, 0, written);
    }

    public void Write(bool value)
    {
        StartField();
        _writer.Write(value ? "true" : "false");
    }

    public void EndRow()
    {
        _writer.Write('\n');
        _rowStarted = false;
    }

    /// <summary>Finishes the file and moves it into place.</summary>
    public void Commit()
    {
        _writer.Dispose();
        _gzip?.Dispose(); // writes the gzip footer
        _file.Commit();
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return; // a StreamWriter left open on its stream flushes again on a second Dispose
        }

        // Disposing the writer of a failed run may throw (e.g. disk full again); the temporary file goes regardless.
        try
        {
            _writer.Dispose();
            _gzip?.Dispose();
        }
        catch (IOException)
        {
        }

        _file.Dispose();
    }

    private void StartField()
    {
        if (_rowStarted)
        {
            _writer.Write(Delimiter);
        }

        _rowStarted = true;
    }
}
