namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Which columns of a CSV file are features, which are carried along (keys) and which holds the label.
/// Features are the named ones (--features), or else every column that is not excluded, a key or the label.
/// </summary>
internal sealed record ColumnSelection
{
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Where <see cref="Features"/> came from, for error messages (the flag, or the model's stored names).</summary>
    public string FeaturesOrigin { get; init; } = "--features";

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public IReadOnlyList<string> Keys { get; init; } = [];

    public string? Label { get; init; }
}
