using System.Globalization;

namespace VaeMl.Examples;

/// <summary>
/// The examples' few command-line flags, <c>--name value</c> or <c>--name=value</c>. Unknown flags and
/// malformed values raise <see cref="ArgumentException"/> naming the flag, so a typo never runs silently.
/// </summary>
public sealed class ExampleArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known;

    /// <summary>Parses <paramref name="args"/>, accepting only the flags in <paramref name="known"/> (with leading dashes).</summary>
    /// <exception cref="ArgumentException">An unknown flag, a flag without a value, or a stray argument.</exception>
    public ExampleArguments(IEnumerable<string> args, params string[] known)
    {
        _known = new HashSet<string>(known.Append("--help"), StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}'. Flags: {string.Join(", ", known)}.");
            }

            string name = arg, value;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else if (name == "--help")
            {
                value = "true";
            }
            else if (e.MoveNext())
            {
                value = e.Current;
            }
            else
            {
                throw new ArgumentException($"Flag '{name}' needs a value.");
            }

            if (!_known.Contains(name))
            {
                throw new ArgumentException($"Unknown flag '{name}'. Flags: {string.Join(", ", known)}.");
            }

            _values[name] = value;
        }
    }

    /// <summary>True when <c>--help</c> was given.</summary>
    public bool Help => _values.ContainsKey("--help");

    /// <summary>The flag's text, or <paramref name="fallback"/>.</summary>
    public string? GetString(string name, string? fallback = null) => _values.TryGetValue(name, out string? value) ? value : fallback;

    /// <summary>The flag as an integer in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    /// <exception cref="ArgumentException">The value is not such an integer.</exception>
    public int GetInt(string name, int fallback, int min = 1, int max = int.MaxValue)
    {
        if (!_values.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new ArgumentException($"Flag '{name}' must be an integer in [{min}, {max}] (was '{text}').");
        }

        return value;
    }

    /// <summary>The flag as a comma-separated list of integers, or <paramref name="fallback"/>.</summary>
    /// <exception cref="ArgumentException">An item is not an integer in range.</exception>
    public int[] GetInts(string name, int[] fallback, int min = 0, int max = int.MaxValue)
    {
        if (!_values.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item =>
            int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
                ? value
                : throw new ArgumentException($"Flag '{name}' must list integers in [{min}, {max}] (item '{item}').")).ToArray();
    }
}
