using System.CommandLine;
using Microsoft.ML.Vae.Cli.Csv;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>Options shared by several commands (each command gets its own instances) and list-value parsing.</summary>
internal static class CommonOptions
{
    public static Option<string> Input(bool required = true) => new("--input", "-i")
    {
        Description = "CSV file with a header row (comma, semicolon, tab or pipe; .gz is read as gzip).",
        Required = required,
        HelpName = "file.csv",
    };

    public static Option<string> Model(string description = "Model file written by 'vae train'.") => new("--model", "-m")
    {
        Description = description,
        Required = true,
        HelpName = "model.vae",
    };

    public static Option<string> Output(string description, string helpName) => new("--output", "-o")
    {
        Description = description,
        Required = true,
        HelpName = helpName,
    };

    public static Option<IReadOnlyList<string>> Features() => NameList("--features",
        "Feature columns, in order (default: every column not excluded, kept or the label).");

    public static Option<IReadOnlyList<string>> Exclude() => NameList("--exclude", "Columns that are not features (e.g. id,label).");

    public static Option<string> Delimiter() => new("--delimiter")
    {
        Description = "Field delimiter: auto (detected from the first lines), comma, semicolon, tab or pipe.",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<string> BadRows() => new Option<string>("--bad-rows")
    {
        Description = "A row with a missing or non-numeric value: fail (name file, line, column) or skip (count and report).",
        DefaultValueFactory = _ => "fail",
        HelpName = "fail|skip",
    }.AcceptOnlyFromAmong("fail", "skip");

    public static BadRowPolicy GetBadRows(this ParseResult parse, Option<string> option) =>
        parse.GetValue(option) == "skip" ? BadRowPolicy.Skip : BadRowPolicy.Fail;

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
