using Microsoft.ML.Vae.Serialization;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Writes every CLI output through the library's <see cref="AtomicFile"/> (temporary file in the same directory,
/// renamed when complete), so a failed or cancelled run leaves no partial file; a missing directory is bad input.
/// </summary>
internal static class OutputFile
{
    public static void Write(string path, Action<Stream> write)
    {
        CheckDirectory(path);
        AtomicFile.Write(path, write);
    }

    /// <summary>Fails early, before any work, when the output cannot be created where asked.</summary>
    public static void CheckDirectory(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw CliException.BadInput($"Cannot write {path}: the directory {directory} does not exist.");
        }
    }
}
