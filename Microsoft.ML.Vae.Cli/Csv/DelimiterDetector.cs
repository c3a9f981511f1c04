namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>Guesses the field delimiter from the header line: the most frequent of comma, semicolon and tab outside quotes.</summary>
internal static class DelimiterDetector
{
    /// <summary>The candidates, in tie-breaking order.</summary>
    public static ReadOnlySpan<char> Candidates => [',', ';', '\t'];

    public static char Detect(ReadOnlySpan<char> headerLine)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        bool quoted = false;
        foreach (char c in headerLine)
        {
            switch (c)
            {
                case '"': quoted = !quoted; break;
                case ',' when !quoted: commas++; break;
                case ';' when !quoted: semicolons++; break;
                case '\t' when !quoted: tabs++; break;
            }
        }

        // A one-column header has no delimiter at all; the comma is as good as any then.
        if (semicolons > commas && semicolons >= tabs)
        {
            return ';';
        }

        return tabs > commas && tabs > semicolons ? '\t' : ',';
    }

    /// <summary>Parses a --delimiter value: one character, or the names comma, semicolon, tab (and \t).</summary>
    public static char? ParseOption(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "comma" or "," => ',',
        "semicolon" or ";" => ';',
        "tab" or "\\t" or "\t" => '\t',
        "pipe" or "|" => '|',
        _ => throw CliException.Usage($"--delimiter '{value}' is not one of: auto, comma, semicolon, tab, pipe."),
    };
}
