namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>The --delimiter option: a named separator, or null to detect it from the file's first lines.</summary>
internal static class DelimiterOption
{
    public static char? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "comma" => ',',
        "semicolon" => ';',
        "tab" => '\t',
        "pipe" => '|',
        _ => throw CliException.Usage($"--delimiter takes auto, comma, semicolon, tab or pipe (got '{value}')."),
    };
}
