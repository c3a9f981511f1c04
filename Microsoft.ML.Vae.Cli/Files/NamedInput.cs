namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>An input of the command, as an output is checked against it: its flag, its name and which file it is.</summary>
internal readonly record struct NamedInput(string Flag, string Name, FileIdentity? Identity)
{
    /// <summary>The input at <paramref name="path"/> (a model file), identified by its path.</summary>
    public static NamedInput Path(string flag, string path) => new(flag, path, FileIdentity.Of(path));

    /// <summary>An opened input.</summary>
    public static NamedInput Of(string flag, InputFile input) => new(flag, input.Name, input.Identity);
}
