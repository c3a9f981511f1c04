using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// Options shared by several commands (each command gets its own instances), and typed options whose parse errors
/// are one line in the tool's words (the flag, what it takes, what it got).
/// </summary>
internal static class CommonOptions
{
    public static Option<string> Model(string description = "Model file written by 'vae train'.") => new("--model", "-m")
    {
        Description = description,
        Required = true,
        HelpName = "model.vae",
    };

    public static Option<string> Output(string description, string helpName) => new("--output", "-o")
    {
        Description = description + " '-' writes standard output.",
        Required = true,
        HelpName = helpName,
    };

    public static Option<IReadOnlyList<string>> Features() => NameList("--features",
        "Feature columns, in order (default: every column not excluded, kept, the label, or named like an id or a label).");

    public static Option<IReadOnlyList<string>> Exclude() => NameList("--exclude", "Columns that are not features (e.g. timestamp,site).");

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress bars." };

    public static Option<bool> Json() => new("--json") { Description = "Write JSON instead of a table." };

    /// <summary>A comma-separated list of column names (repeating the option also works).</summary>
    public static Option<IReadOnlyList<string>> NameList(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "a,b,c",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))],
    };

    /// <summary>A whole-number option; a value that is not one is a usage error naming the flag.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, string helpName = "int") => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = helpName,
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }

            result.AddError($"{name} takes a whole number (got '{text}').");
            return defaultValue;
        },
    };

    /// <summary>A number option (decimal point, optional exponent); anything else is a usage error naming the flag.</summary>
    public static Option<float> Float(string name, string description, float defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "number",
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (Csv.NumberParser.TryParse(System.Text.Encoding.UTF8.GetBytes(text), '.', out float value) && float.IsFinite(value))
            {
                return value;
            }

            result.AddError($"{name} takes a number such as 0.001 (got '{text}').");
            return defaultValue;
        },
    };

    /// <summary>An option that takes one of <paramref name="choices"/>; the error lists them.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = string.Join('|', choices),
        };
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (!choices.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"{name} takes {Alternatives(choices)} (got '{value}').");
            }
        });
        return option;
    }

    /// <summary>"a, b or c".</summary>
    public static string Alternatives(IReadOnlyList<string> choices) =>
        choices.Count == 1 ? choices[0] : $"{string.Join(", ", choices.Take(choices.Count - 1))} or {choices[^1]}";

    public static ColumnSelection Selection(ParseResult parse, Option<IReadOnlyList<string>> features, Option<IReadOnlyList<string>> exclude,
        IReadOnlyList<string>? keys = null, string? label = null)
    {
        IReadOnlyList<string>? featureList = parse.GetValue(features);
        IReadOnlyList<string>? excludeList = parse.GetValue(exclude);
        if (featureList is { Count: > 0 } && excludeList is { Count: > 0 })
        {
            throw CliException.Usage("--features and --exclude cannot be combined: name the features, or the columns to leave out.");
        }

        return new ColumnSelection { Features = featureList, Exclude = excludeList ?? [], Keys = keys ?? [], Label = label };
    }
}
