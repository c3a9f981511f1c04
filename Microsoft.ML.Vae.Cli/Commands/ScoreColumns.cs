namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// The columns <c>vae score</c> writes, in order, whatever the output format: the --keep columns, Score,
/// PredictedLabel, ReconstructionError, LatentMean_0..L-1 and, with --top-features K, TopFeature_i and
/// TopFeatureError_i for i = 1..K.
/// </summary>
internal sealed record ScoreColumns(IReadOnlyList<string> Keys, int LatentDimension, int TopFeatures, IReadOnlyList<string> FeatureNames)
{
    public IEnumerable<string> LatentNames => Enumerable.Range(0, LatentDimension).Select(i => $"LatentMean_{i}");

    public IEnumerable<(string Feature, string Error)> TopFeatureNames =>
        Enumerable.Range(1, TopFeatures).Select(i => ($"TopFeature_{i}", $"TopFeatureError_{i}"));

    /// <summary>All column names, in output order.</summary>
    public IEnumerable<string> Names =>
    [
        .. Keys, "Score", "PredictedLabel", "ReconstructionError", .. LatentNames, .. TopFeatureNames.SelectMany(t => new[] { t.Feature, t.Error }),
    ];
}
