namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>
/// A read-only stream that gives back bytes already read from another stream, then the rest of it: lets the tool
/// look at the start of an input (gzip magic bytes, the decimal separator) even when the input is a pipe.
/// </summary>
internal sealed class ReplayStream(byte[] prefix, int prefixLength, Stream rest) : ForwardOnlyStream
{
    private int _position;

    /// <summary>
    /// The first <paramref name="count"/> bytes of <paramref name="stream"/> (fewer only at its end), and a stream that
    /// reads from the start again: the same stream moved back when it can seek (a file, read at full speed), else a
    /// replay of the bytes followed by the rest.
    /// </summary>
    public static (byte[] Bytes, int Length, Stream Stream) Peek(Stream stream, int count)
    {
        var bytes = new byte[count];
        long start = stream.CanSeek ? stream.Position : 0;
        int length = stream.ReadAtLeast(bytes, count, throwOnEndOfStream: false);
        if (stream.CanSeek)
        {
            stream.Position = start;
            return (bytes, length, stream);
        }

        return (bytes, length, new ReplayStream(bytes, length, stream));
    }

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefixLength)
        {
            int count = Math.Min(buffer.Length, prefixLength - _position);
            prefix.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        return rest.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
