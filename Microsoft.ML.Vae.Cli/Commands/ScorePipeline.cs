using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// Runs read -> score -> write over a fixed ring of <see cref="ScoreBlock"/>s: one reader thread, scorer threads that
/// also parse their block's input when the reader leaves that to them (CSV) and prepare its output (format it), one
/// writer thread that restores input order and settles each block's bad rows in that order. The model's batch path
/// is thread-safe; with one scorer per core each scores on its own thread (<see cref="BlockScorer"/>), as the library's
/// worker pool would only add its threads to cores already busy. Parsing, formatting and scoring overlap, and memory stays at a few blocks whatever the file size. The first failure
/// in any stage stops all of them and is rethrown.
/// </summary>
internal static class ScorePipeline
{
    public static void Run(FeatureReader reader, Func<BlockScorer> createScorer, int scorerCount, ScoreOutput output, Action? progress,
        CancellationToken cancellationToken)
    {
        // Each scorer holds one block, the reader and writer one each, plus one spare to absorb jitter.
        int blockCount = scorerCount + 3;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = stop.Token;
        using var free = new BlockingCollection<ScoreBlock>(blockCount);
        using var parsed = new BlockingCollection<ScoreBlock>(blockCount);
        using var scored = new BlockingCollection<ScoreBlock>(blockCount);
        BlockScorer[] scorers = [.. Enumerable.Range(0, scorerCount).Select(_ => createScorer())];
        for (int i = 0; i < blockCount; i++)
        {
            free.Add(scorers[0].CreateBlock(reader));
        }

        int runningScorers = scorerCount;
        var stages = new List<Task>
        {
            Stage(stop, () =>
            {
                try
                {
                    for (long sequence = 0; ; sequence++)
                    {
                        ScoreBlock block = free.Take(token);
                        if (!reader.ReadBlock(block))
                        {
                            return;
                        }

                        block.Sequence = sequence;

                        parsed.Add(block, token);
                    }
                }
                finally
                {
                    parsed.CompleteAdding();
                }
            }),
            Stage(stop, () =>
            {
                // Blocks finish scoring out of order; hold the early ones until their turn.
                var pending = new Dictionary<long, ScoreBlock>();
                long next = 0;
                foreach (ScoreBlock block in scored.GetConsumingEnumerable(token))
                {
                    pending.Add(block.Sequence, block);
                    while (pending.Remove(next, out ScoreBlock? ready))
                    {
                        reader.CommitBlock(ready);
                        if (ready.Rows > 0)
                        {
                            output.Write(ready);
                        }

                        progress?.Invoke();
                        free.Add(ready, token);
                        next++;
                    }
                }
            }),
        };
        foreach (BlockScorer scorer in scorers)
        {
            stages.Add(Stage(stop, () =>
            {
                try
                {
                    foreach (ScoreBlock block in parsed.GetConsumingEnumerable(token))
                    {
                        reader.ParseBlock(block);
                        if (block.Error is null)
                        {
                            scorer.Score(block);
                            output.Prepare(block);
                        }

                        scored.Add(block, token);
                    }
                }
                finally
                {
                    if (Interlocked.Decrement(ref runningScorers) == 0)
                    {
                        scored.CompleteAdding();
                    }
                }
            }));
        }

        try
        {
            Task.WaitAll(stages);
        }
        catch (AggregateException)
        {
            // The stage that failed is the one to report, not the cancellations it caused.
        }

        Exception? failure = stages.Select(s => s.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Runs a stage on its own thread; a failure cancels the others.</summary>
    private static Task Stage(CancellationTokenSource stop, Action body) =>
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
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
