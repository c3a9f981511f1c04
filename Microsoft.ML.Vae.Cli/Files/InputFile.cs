using System.IO.Compression;

namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>
/// An input named on the command line: a file, or <c>-</c> for standard input. Gzip is recognized by its first bytes
/// (whatever the name) and decompressed. Missing or unreadable files are bad input (exit code 2).
/// </summary>
internal sealed class InputFile : IDisposable
{
    private const int StreamBufferSize = 1 << 20;
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    private readonly Stream _raw;

    private InputFile(string name, Stream raw, FileIdentity? identity)
    {
        Name = name;
        _raw = raw;
        Identity = identity;
        (byte[] prefix, int length, Stream start) = ReplayStream.Peek(raw, GzipMagic.Length);
        Stream = prefix.AsSpan(0, length).SequenceEqual(GzipMagic) ? new GZipStream(start, CompressionMode.Decompress) : start;
    }

    /// <summary>The path as given, or "standard input".</summary>
    public string Name { get; }

    /// <summary>The input's bytes, decompressed.</summary>
    public Stream Stream { get; }

    /// <summary>The file read (null when the system cannot name it).</summary>
    public FileIdentity? Identity { get; }

    /// <summary>Share of the raw bytes consumed, for progress bars; 0 when the size is unknown (a pipe).</summary>
    public double Fraction => _raw.CanSeek ? (_raw.Length == 0 ? 1 : (double)_raw.Position / _raw.Length) : 0;

    /// <summary>Opens <paramref name="path"/>, or standard input from <paramref name="streams"/> for <c>-</c>.</summary>
    public static InputFile Open(string path, StandardStreams? streams)
    {
        if (StandardStreams.IsDash(path) && streams is not null)
        {
            return new InputFile(StandardStreams.InputName, streams.OpenInput(), streams.InputIdentity);
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, StreamBufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.BadInput($"Input file not found: {path}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.BadInput($"Cannot read {path}: {e.Message}", e);
        }

        try
        {
            return new InputFile(path, file, FileIdentity.Of(file.SafeFileHandle));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => Stream.Dispose();
}
