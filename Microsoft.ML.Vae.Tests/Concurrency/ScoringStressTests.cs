using System.Collections.Concurrent;
using System.Diagnostics;

namespace Microsoft.ML.Vae.Tests.Concurrency;

/// <summary>
/// Sixteen threads score at once on one <see cref="VaeTransformer"/> (and on one <see cref="OnnxVaeScorer"/>) for a
/// few seconds, each result compared bit for bit with the same batch scored on one thread: no difference, no exception.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ScoringStressTests
{
    private const int Threads = 16;
    private const int BatchCount = 48;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    public TestContext TestContext { get; set; } = null!;

    /// <summary>Batches of 1 to 300 rows, some of them outside the training range.</summary>
    private static float[][][] Batches(int features)
    {
        var random = new Random(8);
        return [.. Enumerable.Range(0, BatchCount).Select(b => Enumerable.Range(0, 1 + random.Next(b % 4 == 0 ? 300 : 40))
            .Select(_ => Enumerable.Range(0, features).Select(_ => (float)(random.NextDouble() * 1.4 - 0.2)).ToArray()).ToArray())];
    }

    [TestMethod]
    public void OneTransformerScoresFromSixteenThreadsAsFromOne()
    {
        VaeTransformer model = TestModels.Small;
        float[][][] batches = Batches(model.FeatureCount);
        float[][] expected = [.. batches.Select(b => Flatten(model.Transform(b)))];
        int scored = Hammer(b => Flatten(model.Transform(batches[b])), expected);
        TestContext.WriteLine($"VaeTransformer: {scored} batches scored by {Threads} threads in {Duration.TotalSeconds} s");
    }

    [TestMethod]
    public void OneOnnxScorerScoresFromSixteenThreadsAsFromOne()
    {
        using var stream = new MemoryStream();
        TestModels.Small.ExportOnnx(stream);
        using var scorer = new OnnxVaeScorer(stream.ToArray());
        float[][][] batches = Batches(scorer.FeatureCount);
        float[][] expected = [.. batches.Select(b => Flatten(scorer.Score(b)))];
        int scored = Hammer(b => Flatten(scorer.Score(batches[b])), expected);
        TestContext.WriteLine($"OnnxVaeScorer: {scored} batches scored by {Threads} threads in {Duration.TotalSeconds} s");
    }

    /// <summary>Runs <paramref name="score"/> on random batches from <see cref="Threads"/> threads until the time is up; returns the batches scored.</summary>
    private static int Hammer(Func<int, float[]> score, float[][] expected)
    {
        var failures = new ConcurrentQueue<string>();
        int scored = 0;
        using var start = new Barrier(Threads);
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Duration && failures.IsEmpty)
            {
                int b = random.Next(expected.Length);
                try
                {
                    float[] actual = score(b);
                    if (!actual.AsSpan().SequenceEqual(expected[b]))
                    {
                        failures.Enqueue($"thread {t}, batch {b}: the results differ from the single-threaded run");
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"thread {t}, batch {b}: {e}");
                }

                Interlocked.Increment(ref scored);
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.IsTrue(thread.Join(TimeSpan.FromSeconds(60)), "a scoring thread finished");
        }

        Assert.IsEmpty(failures, string.Join(Environment.NewLine, failures.Take(5)));
        Assert.IsGreaterThan(Threads, scored);
        return scored;
    }

    /// <summary>Every output of every row, in one array (bit patterns compare exactly, NaN included).</summary>
    private static float[] Flatten(VaePrediction[] predictions) =>
    [
        .. predictions.SelectMany(p => p.LatentMean.Concat(p.LatentLogVariance).Concat(p.Reconstruction)
            .Append(p.ReconstructionError).Append(p.Score).Append(p.PredictedLabel ? 1f : 0f)),
    ];
}
