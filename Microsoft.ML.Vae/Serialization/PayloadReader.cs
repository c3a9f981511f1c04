using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.Vae.Serialization;

/// <summary>
/// Reads little-endian values from a model payload. Every count read from the data is checked against the bytes
/// that remain before anything is allocated, so a corrupt length cannot cause a huge allocation or a hang.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw new VaeModelFormatException($"The model file is corrupt: {what} needs {count} bytes but only {Remaining} remain.");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public int ReadInt32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));

    public long ReadInt64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    public float ReadSingle(string what) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));

    public double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

    public bool ReadBoolean(string what) => Take(1, what)[0] switch
    {
        0 => false,
        1 => true,
        byte b => throw new VaeModelFormatException($"The model file is corrupt: {what} holds {b}, not a boolean."),
    };

    /// <summary>A count that must be in [0, <paramref name="max"/>] and fit in the remaining bytes at <paramref name="bytesEach"/> each.</summary>
    public int ReadCount(string what, int max, int bytesEach)
    {
        int count = ReadInt32(what);
        if (count < 0 || count > max || (long)count * bytesEach > Remaining)
        {
            throw new VaeModelFormatException($"The model file is corrupt: {what} is {count}, which does not fit the file.");
        }

        return count;
    }

    public string ReadString(string what)
    {
        int length = ReadCount(what, int.MaxValue, 1);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length, what));
        }
        catch (DecoderFallbackException e)
        {
            throw new VaeModelFormatException($"The model file is corrupt: {what} is not valid UTF-8.", e);
        }
    }

    public float[] ReadSingles(int count, string what)
    {
        ReadOnlySpan<byte> bytes = Take(checked(count * 4), what);
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
        }

        return result;
    }
}
