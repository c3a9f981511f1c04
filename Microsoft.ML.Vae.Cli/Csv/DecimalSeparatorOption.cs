namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// The --decimal-separator option (point, comma, or auto) and its detection: in a file separated by semicolons, tabs
/// or pipes, fields such as <c>1,425</c> with no field such as <c>1.425</c> in the first lines mean a decimal comma
/// (European CSV exports). A comma-separated file always uses the point.
/// </summary>
internal static class DecimalSeparatorOption
{
    /// <summary>Lines looked at for detection, at most (from the bytes already read ahead).</summary>
    public const int DetectionLines = 1000;

    /// <summary>The option's values; "auto" first, the default.</summary>
    public static string[] Names { get; } = ["auto", "point", "comma"];

    /// <summary>'.' or ',' as given (the option's own check admits only <see cref="Names"/>), or null for auto.</summary>
    public static char? Parse(string value) => value switch
    {
        "point" => '.',
        "comma" => ',',
        _ => null,
    };

    /// <summary>
    /// The separator of the data lines in <paramref name="start"/> (the first bytes of the file, header first), whose
    /// fields are separated by <paramref name="delimiter"/>: ',' only when some field has a decimal comma and none has
    /// a decimal point.
    /// </summary>
    public static char Detect(ReadOnlySpan<byte> start, char delimiter)
    {
        if (delimiter == ',')
        {
            return '.';
        }

        int commas = 0, points = 0, line = 0;
        foreach (Range range in start.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> text = start[range];
            if (line++ == 0 || text.IndexOf((byte)'"') >= 0)
            {
                continue; // the header; and quoted fields, which a plain split would cut wrongly
            }

            if (line > DetectionLines)
            {
                break;
            }

            foreach (Range field in text.Split((byte)delimiter))
            {
                switch (Kind(text[field].Trim(" \t\r"u8)))
                {
                    case ',':
                        commas++;
                        break;
                    case '.':
                        points++;
                        break;
                }
            }
        }

        return commas > 0 && points == 0 ? ',' : '.';
    }

    /// <summary>',' for digits, one comma, digits (a decimal comma); '.' for the same with a point; else '\0'.</summary>
    private static char Kind(ReadOnlySpan<byte> field)
    {
        if (field.Length > 0 && field[0] is (byte)'+' or (byte)'-')
        {
            field = field[1..];
        }

        int separator = field.IndexOfAnyExcept("0123456789"u8);
        if (separator <= 0 || separator == field.Length - 1 || field[separator] is not ((byte)',' or (byte)'.'))
        {
            return '\0';
        }

        ReadOnlySpan<byte> fraction = field[(separator + 1)..];
        int end = fraction.IndexOfAnyExcept("0123456789"u8);
        if (end == 0 || (end > 0 && fraction[end] is not ((byte)'e' or (byte)'E')))
        {
            return '\0';
        }

        return (char)field[separator];
    }
}
