namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>
/// A read-only view of <paramref name="length"/> bytes of <paramref name="stream"/> from its current position, read in
/// order; the stream itself is left open.
/// </summary>
internal sealed class StreamSlice(Stream stream, long length) : ForwardOnlyStream
{
    private long _left = length;

    public override int Read(Span<byte> buffer)
    {
        int read = stream.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= read;
        return read;
    }
}
