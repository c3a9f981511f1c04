namespace Microsoft.ML.Vae.Cli.Reporting;

/// <summary>What the HTML report shows: the model, its training history and, with --input, scores and latent points.</summary>
internal sealed record ReportData
{
    public required string ModelPath { get; init; }

    public required VaeTransformer Model { get; init; }

    public string? InputPath { get; init; }

    /// <summary>Every scored row's score (null without --input).</summary>
    public float[]? Scores { get; init; }

    /// <summary>A uniform sample of latent means (first two dimensions) and predicted labels.</summary>
    public IReadOnlyList<(float X, float Y, bool Anomaly)>? LatentSample { get; init; }
}
