namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Writes a file through a temporary file in the same directory and renames it over the target on
/// <see cref="Commit"/>, so a failed or cancelled run leaves no partial output (and an old file stays intact).
/// </summary>
internal sealed class AtomicFileWriter : IDisposable
{
    private readonly string _temporaryPath;
    private bool _committed;

    private AtomicFileWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(Path)!;
        _temporaryPath = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Stream = new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw CliException.BadInput($"Cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>The final path.</summary>
    public string Path { get; }

    /// <summary>The temporary file's stream; write everything here, then call <see cref="Commit"/>.</summary>
    public FileStream Stream { get; }

    public static AtomicFileWriter Create(string path) => new(path);

    /// <summary>Flushes to disk and moves the temporary file over the target.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(_temporaryPath, Path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        Stream.Dispose();
        File.Delete(_temporaryPath);
    }
}
