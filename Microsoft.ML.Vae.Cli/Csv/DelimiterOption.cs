namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>The --delimiter option: a named or literal separator, or null to detect it from the file's first lines.</summary>
internal static class DelimiterOption
{
    public static char? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "comma" or "," => ',',
        "semicolon" or ";" => ';',
        "tab" or "\\t" or "\t" => '\t',
        "pipe" or "|" => '|',
        _ => throw CliException.Usage($"--delimiter '{value}' is not one of: auto, comma, semicolon, tab, pipe."),
    };
}
