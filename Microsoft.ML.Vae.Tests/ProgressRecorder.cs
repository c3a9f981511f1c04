namespace Microsoft.ML.Vae.Tests;

/// <summary>Records epoch reports synchronously (Progress&lt;T&gt; would post to the thread pool) and can act on a report.</summary>
internal sealed class ProgressRecorder(Action<VaeEpochReport>? onReport = null) : IProgress<VaeEpochReport>
{
    public List<VaeEpochReport> Reports { get; } = [];

    public void Report(VaeEpochReport value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
