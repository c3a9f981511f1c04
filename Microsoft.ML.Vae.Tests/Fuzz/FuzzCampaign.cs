using System.Diagnostics;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// Runs fuzz inputs one at a time, each within a time limit and a memory limit (managed bytes allocated, and growth of
/// the process's peak resident memory), and counts how they ended. An input that hangs, takes too much memory, or ends
/// in anything but an allowed outcome fails the test, naming the input.
/// </summary>
internal sealed class FuzzCampaign(string name, Func<string, bool> allowed)
{
    /// <summary>The memory any one input (all under 10 MB) may take.</summary>
    public const long MemoryLimit = 500L << 20;

    /// <summary>Far above any input's time on a loaded 2-core machine: only a hang gets near it.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    private readonly SortedDictionary<string, int> _outcomes = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    /// <summary>How many inputs ended in each outcome.</summary>
    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    /// <summary>The input that took longest, and its time.</summary>
    public (string Input, TimeSpan Time) Slowest { get; private set; } = ("none", TimeSpan.Zero);

    /// <summary>Time spent in the inputs, all together.</summary>
    public TimeSpan Total { get; private set; }

    /// <summary>e.g. "model files: 3000 inputs: VaeModelFormatException 2890, loaded 110 (...)".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{name}: {Count} inputs: {string.Join(", ", _outcomes.Select(o => $"{o.Key} {o.Value}"))} ({Total.TotalSeconds:F1} s; slowest {Slowest.Time.TotalSeconds:F2} s: {Slowest.Input})");

    /// <summary>
    /// Runs <paramref name="attempt"/> on the input described by <paramref name="input"/>; it returns the outcome (such as
    /// "loaded", or the documented exception's type name) and lets any other exception escape, which fails the test.
    /// </summary>
    public void Run(string input, Func<string> attempt)
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long residentBefore = PeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        Task<string> task = Task.Factory.StartNew(attempt, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(TimeLimit))
        {
            Assert.Fail($"{name}: {input} did not finish within {TimeLimit.TotalSeconds} s");
        }

        string outcome = task.Result;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long peakGrowth = PeakMemory.Peak - residentBefore;
        Assert.IsLessThan(MemoryLimit, allocated, $"{name}: {input} allocated {allocated / 1e6:F0} MB");
        Assert.IsLessThan(MemoryLimit, peakGrowth, $"{name}: {input} grew the peak resident memory by {peakGrowth / 1e6:F0} MB");
        Assert.IsTrue(allowed(outcome), $"{name}: {input} ended in '{outcome}' after {clock.Elapsed.TotalSeconds:F1} s");
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        Count++;
        Total += clock.Elapsed;
        if (clock.Elapsed > Slowest.Time)
        {
            Slowest = (input, clock.Elapsed);
        }
    }
}
