namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>The text of a few columns for a block of rows, in one growing char array (no string per field).</summary>
internal sealed class RowTextBuffer(int columnCount)
{
    private char[] _chars = new char[4096];
    private int[] _ends = new int[256];
    private int _count;
    private int _length;

    public int ColumnCount { get; } = columnCount;

    public void Clear()
    {
        _count = 0;
        _length = 0;
    }

    /// <summary>Adds a field given as UTF-8 bytes (as the CSV reader hands them out).</summary>
    public void AddUtf8(ReadOnlySpan<byte> utf8)
    {
        // A UTF-8 byte decodes to at most one UTF-16 char, so the byte count bounds the space needed.
        Reserve(utf8.Length);
        int written = System.Text.Encoding.UTF8.GetChars(utf8, _chars.AsSpan(_length));
        _length += written;
        _ends[_count++] = _length;
    }

    /// <summary>Adds a field given as text.</summary>
    public void Add(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
        _ends[_count++] = _length;
    }

    private void Reserve(int chars)
    {
        if (_length + chars > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + chars));
        }

        if (_count == _ends.Length)
        {
            Array.Resize(ref _ends, _count * 2);
        }
    }

    public ReadOnlySpan<char> Get(int row, int column)
    {
        int index = row * ColumnCount + column;
        int start = index == 0 ? 0 : _ends[index - 1];
        return _chars.AsSpan(start, _ends[index] - start);
    }
}
