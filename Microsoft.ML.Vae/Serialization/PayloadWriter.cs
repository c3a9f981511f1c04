using System.Text;

namespace Microsoft.ML.Vae.Serialization;

/// <summary>
/// Writes the little-endian values that <see cref="PayloadReader"/> reads (BinaryWriter is little-endian on every
/// platform); strings carry an int32 byte length, not BinaryWriter's 7-bit one, so the reader can bound it.
/// </summary>
internal sealed class PayloadWriter
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _writer;

    public PayloadWriter() => _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);

    public byte[] ToArray()
    {
        _writer.Flush();
        return _stream.ToArray();
    }

    public void Write(int value) => _writer.Write(value);

    public void Write(long value) => _writer.Write(value);

    public void Write(float value) => _writer.Write(value);

    public void Write(double value) => _writer.Write(value);

    public void Write(bool value) => _writer.Write(value);

    public void Write(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        _writer.Write(bytes.Length);
        _writer.Write(bytes);
    }

    /// <summary>The values without a count (the reader knows it from earlier fields).</summary>
    public void WriteSingles(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            _writer.Write(value);
        }
    }
}
