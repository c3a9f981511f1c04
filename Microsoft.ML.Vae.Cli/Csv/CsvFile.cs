using System.IO.Compression;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>Opens CSV files for reading (gzip by the .gz extension) and names their problems as bad input.</summary>
internal static class CsvFile
{
    private const int StreamBufferSize = 1 << 20;

    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens <paramref name="path"/>'s bytes (decompressed for .gz); <paramref name="file"/> is the raw stream, for progress.</summary>
    public static Stream OpenRead(string path, out FileStream file)
    {
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

        return IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
