using System.Text;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Reads a label field: exactly 0 or 1 (as a number, so 1.0 too) or true or false (any case). Anything else is
/// refused, with <see cref="Accepted"/> as the message says, rather than guessed ("yes", "2", "-1" and "anomaly" are
/// not labels).
/// </summary>
internal static class LabelParser
{
    /// <summary>What the error message says is accepted, word for word what <see cref="TryParse"/> takes.</summary>
    public const string Accepted = "0 or 1 (any number form, such as 1.0) or true or false (any case); 1 and true mean anomaly";

    public static bool TryParse(ReadOnlySpan<byte> field, char decimalSeparator, out bool anomaly)
    {
        field = field.Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(field, "true"u8) || Ascii.EqualsIgnoreCase(field, "false"u8))
        {
            anomaly = field.Length == 4;
            return true;
        }

        anomaly = false;
        if (NumberParser.TryParse(field, decimalSeparator, out float value) && value is 0f or 1f)
        {
            anomaly = value == 1f;
            return true;
        }

        return false;
    }
}
