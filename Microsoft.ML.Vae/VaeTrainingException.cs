namespace Microsoft.ML.Vae;

/// <summary>Training diverged (the loss became NaN or infinite). No model is returned, so no weights are left non-finite.</summary>
public sealed class VaeTrainingException : InvalidOperationException
{
    /// <summary>Creates the exception for the given epoch and batch (both 1-based).</summary>
    public VaeTrainingException(string message, int epoch, int batch)
        : base(message)
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>1-based epoch in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>1-based batch within the epoch.</summary>
    public int Batch { get; }
}
