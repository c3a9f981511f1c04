using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// Scores a whole input block by block on the calling thread (the model's batch path still scores on every core),
/// under a progress bar, for the commands that use every block's scores (evaluate, report); <c>score</c> streams
/// through <see cref="ScorePipeline"/> instead.
/// </summary>
internal static class BlockByBlock
{
    /// <summary>Hands each scored block to <paramref name="use"/>, then reports the skipped rows.</summary>
    public static void Score(
        CliContext context, VaeTransformer model, FeatureReader reader, bool quiet, CancellationToken cancellationToken, Action<ScoreBlock> use)
    {
        var scorer = new BlockScorer(model, ScoreCommand.DefaultBlockRows, topFeatures: 0);
        ScoreBlock block = scorer.CreateBlock(reader);
        context.Progress(quiet).Run($"Scoring {Path.GetFileName(reader.Name)}", 1, report =>
        {
            while (block.ReadFrom(reader) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scorer.Score(block);
                use(block);
                report(reader.Fraction, null);
            }

            return 0;
        });
        InputOptions.ReportSkipped(context, reader);
    }
}
