using Microsoft.ML.Vae.Serialization;

namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>
/// An output named on the command line, checked before any work is done. A regular file (or a new path) is written to
/// a temporary file beside it and renamed over it when complete, so a failed or cancelled run leaves no partial file
/// and an existing file stays as it was. A pipe or a character device (<c>/dev/stdout</c>, <c>/dev/null</c>) is written
/// straight into, and <c>-</c> is standard output; anything else (a directory, a socket) is refused. A symbolic link is
/// followed: its target is written, the link stays. An output that is the same file as an input is refused, whatever
/// name it goes by, so the input is never overwritten.
/// </summary>
internal sealed class OutputFile
{
    private readonly StandardStreams _streams;
    private readonly string? _target;

    private OutputFile(string path, OutputMode mode, string? target, StandardStreams streams)
    {
        Path = path;
        Mode = mode;
        _target = target;
        _streams = streams;
    }

    private enum OutputMode
    {
        /// <summary>A temporary file renamed over the target (a regular file or a new path).</summary>
        Replace,

        /// <summary>Opened and written as it is (a pipe, a character device).</summary>
        Direct,

        /// <summary>The process's standard output.</summary>
        StandardOutput,
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>The output's name in messages: its path, or "standard output".</summary>
    public string Name => IsStandardOutput ? StandardStreams.OutputName : Path;

    /// <summary>True when the data go to standard output (then messages must not).</summary>
    public bool IsStandardOutput => Mode == OutputMode.StandardOutput;

    /// <summary>Whether the name asks for gzip compression (ends in .gz).</summary>
    public bool IsGzip => Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    private OutputMode Mode { get; }

    /// <summary>
    /// Checks where <paramref name="path"/> (given as <paramref name="flag"/>) can be written, and that it is none of
    /// <paramref name="inputs"/>; when it is standard output, the context's messages move to stderr.
    /// </summary>
    /// <exception cref="CliException">Bad input (exit code 2): a missing directory, a kind of file that cannot be written, an input.</exception>
    public static OutputFile Resolve(CliContext context, string path, string flag, params IEnumerable<NamedInput> inputs)
    {
        StandardStreams streams = context.Streams;
        FileIdentity? identity = StandardStreams.IsDash(path) ? streams.OutputIdentity : FileIdentity.Of(path);
        OutputMode mode = identity?.Kind switch
        {
            _ when StandardStreams.IsDash(path) => OutputMode.StandardOutput,

            // /dev/stdout, /proc/self/fd/1...: the open file itself, at the offset the shell gave it.
            _ when identity is not null && identity == streams.OutputIdentity => OutputMode.StandardOutput,
            null or FileKind.Regular => OutputMode.Replace,
            FileKind.Fifo or FileKind.CharacterDevice => OutputMode.Direct,
            FileKind kind => throw CliException.BadInput($"Cannot write {flag} {path}: it is {Describe(kind)}. Name a file, or - for standard output."),
        };
        var output = new OutputFile(path, mode, mode == OutputMode.Replace ? CheckDirectory(path, FinalTarget(path)) : null, streams);

        if (identity is { Kind: FileKind.Regular } file)
        {
            foreach (NamedInput input in inputs)
            {
                if (input.Identity == file)
                {
                    throw CliException.BadInput(
                        $"{flag} {output.DisplayPath()} is the same file as {input.Flag} {input.Name}; write to another file (the input was left as it was).");
                }
            }
        }

        if (output.IsStandardOutput)
        {
            context.ClaimStandardOutput();
        }

        return output;
    }

    /// <summary>Writes the whole output with <paramref name="write"/>.</summary>
    public void Write(Action<Stream> write)
    {
        switch (Mode)
        {
            case OutputMode.Replace:
                AtomicFile.Write(_target!, write); // a replaced file keeps its permissions

                break;
            case OutputMode.Direct:
                using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
                {
                    write(stream);
                }

                break;
            default:
                Stream output = _streams.OpenOutput();
                write(output);
                output.Flush();
                break;
        }
    }

    /// <summary>Fails early, before any work, when the directory of a new output does not exist.</summary>
    private static string CheckDirectory(string path, string target)
    {
        string? directory = System.IO.Path.GetDirectoryName(target);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw CliException.BadInput($"Cannot write {path}: the directory {directory} does not exist.");
        }

        return target;
    }

    /// <summary>The file a path ends at after following symbolic links (the path itself when it is not a link).</summary>
    private static string FinalTarget(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).LinkTarget is null ? full : File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException e)
        {
            throw CliException.BadInput($"Cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>The path, with what "-" means.</summary>
    private string DisplayPath() => StandardStreams.IsDash(Path) ? $"- ({StandardStreams.OutputName})" : Path;

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file, a pipe or a character device",
    };
}
