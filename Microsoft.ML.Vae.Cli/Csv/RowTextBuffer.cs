namespace Microsoft.ML.Vae.Cli.Csv;

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

    public void Add(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + text.Length));
        }

        if (_count == _ends.Length)
        {
            Array.Resize(ref _ends, _count * 2);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
        _ends[_count++] = _length;
    }

    /// <summary>Drops the last <paramref name="fields"/> fields added (a row that turned out bad).</summary>
    public void RemoveLast(int fields)
    {
        _count -= fields;
        _length = _count == 0 ? 0 : _ends[_count - 1];
    }

    public ReadOnlySpan<char> Get(int row, int column)
    {
        int index = row * ColumnCount + column;
        int start = index == 0 ? 0 : _ends[index - 1];
        return _chars.AsSpan(start, _ends[index] - start);
    }
}
