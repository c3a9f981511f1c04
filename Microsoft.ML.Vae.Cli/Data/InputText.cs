namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Whole records of a text input, read in order but not parsed yet, so that parsing can run on another thread; the
/// buffer is made on first use (a block of a Parquet input never needs one), reused from block to block and grows only
/// for longer records.
/// </summary>
/// <remarks>
/// The text follows a line feed of its own, the line break before it in the input, so that a reader started on
/// <see cref="FromLineBreak"/> starts as it would within the input: CsvHelper takes a byte order mark at the very start
/// of its input for the text's encoding, while within a file those bytes are data.
/// </remarks>
internal sealed class InputText
{
    private const int InitialBytes = 256 * 1024;

    private byte[] _buffer = NewBuffer(1);

    /// <summary>The text (<see cref="Length"/> bytes in use) and the free room after it.</summary>
    public Span<byte> Bytes => _buffer.AsSpan(1);

    /// <summary>Bytes in use, from the start of <see cref="Bytes"/>.</summary>
    public int Length { get; set; }

    /// <summary>The input's 1-based line on which the first byte stands, for error messages.</summary>
    public long FirstLine { get; set; }

    /// <summary>The line feed before the text, then the text: a reader over it counts that line break as its first line.</summary>
    public ReadOnlyMemory<byte> FromLineBreak => _buffer.AsMemory(0, Length + 1);

    /// <summary>Makes room for at least <paramref name="free"/> more bytes after <see cref="Length"/>.</summary>
    public void Reserve(int free)
    {
        if (_buffer.Length - 1 - Length < free)
        {
            byte[] larger = NewBuffer(Math.Max(Math.Max(_buffer.Length * 2, InitialBytes), Length + 1 + free));
            Bytes[..Length].CopyTo(larger.AsSpan(1));
            _buffer = larger;
        }
    }

    private static byte[] NewBuffer(int length)
    {
        var buffer = new byte[length];
        buffer[0] = (byte)'\n';
        return buffer;
    }
}
