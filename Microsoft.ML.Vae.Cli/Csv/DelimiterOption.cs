namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>The --delimiter option: a named separator, or null to detect it from the file's first lines.</summary>
internal static class DelimiterOption
{
    /// <summary>The option's values; "auto" first, the default.</summary>
    public static string[] Names { get; } = ["auto", "comma", "semicolon", "tab", "pipe"];

    /// <summary>The separator a name stands for (the option's own check admits only <see cref="Names"/>); null for auto.</summary>
    public static char? Parse(string value) => value switch
    {
        "comma" => ',',
        "semicolon" => ';',
        "tab" => '\t',
        "pipe" => '|',
        _ => null,
    };
}
