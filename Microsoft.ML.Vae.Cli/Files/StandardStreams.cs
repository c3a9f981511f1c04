namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>
/// The process's standard streams as the commands see them: text writers for messages, byte streams for data named
/// <c>-</c> on the command line, and which files the byte streams are (to refuse an output that is an input).
/// </summary>
internal sealed record StandardStreams
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Standard input's bytes (<c>-i -</c>).</summary>
    public required Func<Stream> OpenInput { get; init; }

    /// <summary>Standard output's bytes (<c>-o -</c>), written to and flushed, never closed.</summary>
    public required Func<Stream> OpenOutput { get; init; }

    /// <summary>The file behind standard input, when it is one the system can name.</summary>
    public FileIdentity? InputIdentity { get; init; }

    /// <summary>The file behind standard output (a redirect's target file, a pipe, a terminal).</summary>
    public FileIdentity? OutputIdentity { get; init; }

    /// <summary>The real process's streams.</summary>
    public static StandardStreams Process() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OpenInput = Console.OpenStandardInput,
        OpenOutput = Console.OpenStandardOutput,
        InputIdentity = FileIdentity.OfDescriptor(0),
        OutputIdentity = FileIdentity.OfDescriptor(1),
    };

    /// <summary>Writers for messages, <paramref name="input"/> as standard input and <paramref name="output"/> as standard output (tests).</summary>
    public static StandardStreams InMemory(TextWriter stdout, TextWriter stderr, Stream? input = null, Stream? output = null)
    {
        Stream stdin = input ?? new MemoryStream();
        Stream data = output ?? new MemoryStream();
        return new StandardStreams { Out = stdout, Error = stderr, OpenInput = () => stdin, OpenOutput = () => data };
    }

    /// <summary>How messages and errors name standard input.</summary>
    public const string InputName = "standard input";

    /// <summary>How messages name standard output.</summary>
    public const string OutputName = "standard output";

    /// <summary>Whether <paramref name="path"/> is "-", the command-line name of a standard stream.</summary>
    public static bool IsDash(string path) => string.Equals(path, "-", StringComparison.Ordinal);
}
