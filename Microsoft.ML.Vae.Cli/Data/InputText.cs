namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Whole records of a text input, read in order but not parsed yet, so that parsing can run on another thread; the
/// buffer is reused from block to block and grows only for longer records.
/// </summary>
internal sealed class InputText
{
    public byte[] Bytes { get; private set; } = new byte[256 * 1024];

    /// <summary>Bytes in use, from the start of <see cref="Bytes"/>.</summary>
    public int Length { get; set; }

    /// <summary>The input's 1-based line on which the first byte stands, for error messages.</summary>
    public long FirstLine { get; set; }

    public ReadOnlyMemory<byte> Memory => Bytes.AsMemory(0, Length);

    /// <summary>Makes room for at least <paramref name="free"/> more bytes after <see cref="Length"/>.</summary>
    public void Reserve(int free)
    {
        if (Bytes.Length - Length < free)
        {
            byte[] larger = new byte[Math.Max(Bytes.Length * 2, Length + free)];
            Bytes.AsSpan(0, Length).CopyTo(larger);
            Bytes = larger;
        }
    }
}
