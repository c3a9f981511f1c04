namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>What a path names, after following symbolic links (the file-type bits of its mode).</summary>
internal enum FileKind
{
    /// <summary>A regular file: the only kind an output replaces (through a temporary file and a rename).</summary>
    Regular,

    Directory,

    /// <summary>A named or anonymous pipe: written straight into.</summary>
    Fifo,

    /// <summary>A terminal, <c>/dev/null</c> and the like: written straight into.</summary>
    CharacterDevice,

    BlockDevice,

    Socket,

    /// <summary>Anything else, or a kind that cannot be told on this platform.</summary>
    Other,
}
