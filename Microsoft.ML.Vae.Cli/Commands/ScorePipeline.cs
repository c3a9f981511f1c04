using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.ML.Vae.Cli.Csv;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// Runs read -> score -> write as three stages over a fixed ring of <see cref="ScoreBlock"/>s: parsing the next block
/// and formatting the last one overlap with scoring, and memory stays at <see cref="BlockCount"/> blocks whatever the
/// file size. Blocks keep their order (one thread per stage). The first failure in any stage stops all of them and
/// is rethrown.
/// </summary>
internal static class ScorePipeline
{
    /// <summary>One being read, one scored, one written, one spare to absorb jitter.</summary>
    public const int BlockCount = 4;

    public static void Run(CsvFeatureReader reader, BlockScorer scorer, Action<ScoreBlock> write, Action? progress, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = stop.Token;
        using var free = new BlockingCollection<ScoreBlock>(BlockCount);
        using var parsed = new BlockingCollection<ScoreBlock>(BlockCount);
        using var scored = new BlockingCollection<ScoreBlock>(BlockCount);
        for (int i = 0; i < BlockCount; i++)
        {
            free.Add(scorer.CreateBlock(reader.Keys.ColumnCount));
        }

        Task[] stages =
        [
            Stage(stop, parsed, () =>
            {
                ScoreBlock block;
                while ((block = free.Take(token)).ReadFrom(reader) > 0)
                {
                    parsed.Add(block, token);
                }
            }),
            Stage(stop, scored, () =>
            {
                foreach (ScoreBlock block in parsed.GetConsumingEnumerable(token))
                {
                    scorer.Score(block);
                    scored.Add(block, token);
                }
            }),
            Stage(stop, null, () =>
            {
                foreach (ScoreBlock block in scored.GetConsumingEnumerable(token))
                {
                    write(block);
                    progress?.Invoke();
                    free.Add(block, token);
                }
            }),
        ];

        try
        {
            Task.WaitAll(stages);
        }
        catch (AggregateException)
        {
            // The stage that failed first is the one to report, not the cancellations it caused.
        }

        Exception? failure = stages.Select(s => s.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Runs a stage on its own thread; a failure cancels the others. Marks <paramref name="output"/> complete either way.</summary>
    private static Task Stage(CancellationTokenSource stop, BlockingCollection<ScoreBlock>? output, Action body) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                body();
            }
            catch
            {
                stop.Cancel();
                throw;
            }
            finally
            {
                output?.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
