using System.CommandLine;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// The flags of a command that reads a data input (the input, a CSV file's delimiter and decimal separator, the bad-row
/// policy), and opening it: <c>-</c> is standard input (CSV); what was detected or left out is told on stderr.
/// </summary>
internal sealed class InputOptions
{
    public InputOptions(bool required = true)
    {
        Input = new Option<string>("--input", "-i")
        {
            Description = "CSV file with a header row (comma, semicolon, tab or pipe; gzip is detected), or a .parquet file; '-' reads CSV from standard input.",
            Required = required,
            HelpName = "file.csv",
        };
        Delimiter = CommonOptions.Choice("--delimiter", "Field delimiter: auto (detected from the first lines), comma, semicolon, tab or pipe.",
            "auto", DelimiterOption.Names);
        DecimalSeparator = CommonOptions.Choice("--decimal-separator",
            "Decimal separator of the numbers: auto (a comma when the first lines of a ;, tab or | separated file have only decimal commas), point or comma. Thousands separators are never read.",
            "auto", DecimalSeparatorOption.Names);
        BadRows = CommonOptions.Choice("--bad-rows",
            "A row with a missing or non-numeric value: fail (name the input, line or row, and column) or skip (count and report).", "fail", "fail", "skip");
    }

    public Option<string> Input { get; }

    public Option<string> Delimiter { get; }

    public Option<string> DecimalSeparator { get; }

    public Option<string> BadRows { get; }

    public IEnumerable<Option> All => [Input, Delimiter, DecimalSeparator, BadRows];

    /// <summary>Opens the input with <paramref name="selection"/>'s columns and the flags' settings, and says what it detected and left out.</summary>
    public FeatureReader Open(CliContext context, ParseResult parse, ColumnSelection selection)
    {
        char? delimiter = DelimiterOption.Parse(parse.GetValue(Delimiter)!);
        char? decimalSeparator = DecimalSeparatorOption.Parse(parse.GetValue(DecimalSeparator)!);
        BadRowPolicy badRows = parse.GetValue(BadRows) == "skip" ? BadRowPolicy.Skip : BadRowPolicy.Fail;
        FeatureReader reader = FeatureInput.Open(parse.GetRequiredValue(Input), context.Streams, selection, badRows, delimiter, decimalSeparator);
        if (reader is CsvFeatureReader { DecimalSeparatorDetected: true })
        {
            context.Note($"{reader.Name}: reading numbers with a decimal comma, as its first lines have them (--decimal-separator point to override).");
        }

        if (reader.LeftOutColumns.Count > 0)
        {
            context.Note($"left out column(s) {string.Join(", ", reader.LeftOutColumns.Select(c => $"'{c}'"))} of {reader.Name}: named like an id or a label (name them in --features to use them).");
        }

        return reader;
    }

    /// <summary>
    /// Opens a scoring input with a model's feature columns: the names stored in the model, else --features, else every
    /// column not excluded (then only the count can be checked).
    /// </summary>
    public FeatureReader OpenFor(VaeTransformer model, CliContext context, ParseResult parse, IReadOnlyList<string>? features,
        IReadOnlyList<string>? exclude, IReadOnlyList<string> keep, string? label)
    {
        bool named = features is { Count: > 0 };
        var selection = new ColumnSelection
        {
            Features = named ? features : model.FeatureNames,
            FeaturesOrigin = named ? "--features" : "the model's feature list",
            Exclude = exclude ?? [],
            Keys = keep,
            Label = label,
        };
        FeatureReader reader = Open(context, parse, selection);
        if (reader.FeatureCount != model.FeatureCount)
        {
            reader.Dispose();
            throw CliException.Model(
                $"the model takes {model.FeatureCount} features but {reader.Name} gives {reader.FeatureCount} ({Shorten(string.Join(", ", reader.FeatureNames))}); "
                + "name the training features with --features, in training order.");
        }

        return reader;
    }

    /// <summary>After reading: how many bad rows were skipped, and where the first were.</summary>
    public static void ReportSkipped(CliContext context, FeatureReader reader)
    {
        if (reader.SkippedRowCount > 0)
        {
            context.Warn($"skipped {reader.SkippedRowCount} bad row(s) of {reader.Name}; first at {reader.PositionName}(s) {string.Join(", ", reader.FirstSkipped)}.");
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..197] + "...";
}
