using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.Vae.Serialization;

/// <summary>Writes the little-endian values that <see cref="PayloadReader"/> reads.</summary>
internal sealed class PayloadWriter
{
    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public void Write(int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        _stream.Write(buffer);
    }

    public void Write(long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        _stream.Write(buffer);
    }

    public void Write(float value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
        _stream.Write(buffer);
    }

    public void Write(double value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(buffer, value);
        _stream.Write(buffer);
    }

    public void Write(bool value) => _stream.WriteByte(value ? (byte)1 : (byte)0);

    public void Write(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Write(bytes.Length);
        _stream.Write(bytes);
    }

    /// <summary>The values without a count (the reader knows it from earlier fields).</summary>
    public void WriteSingles(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            Write(value);
        }
    }
}
