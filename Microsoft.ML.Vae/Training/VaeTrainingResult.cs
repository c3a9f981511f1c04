namespace Microsoft.ML.Vae.Training;

/// <summary>What an <see cref="IVaeTrainingEngine"/> hands back.</summary>
public sealed class VaeTrainingResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="parameters">The trained parameters, in the flat layout of <see cref="NetworkLayout"/>.</param>
    /// <param name="summary">What training did, epoch by epoch.</param>
    public VaeTrainingResult(float[] parameters, VaeTrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(summary);
        Parameters = parameters;
        Summary = summary;
    }

    /// <summary>
    /// The trained parameters, in the flat layout of <see cref="NetworkLayout"/>: the model keeps this array, so the
    /// engine must not change it afterwards.
    /// </summary>
    public float[] Parameters { get; }

    /// <summary>What training did, saved with the model.</summary>
    public VaeTrainingSummary Summary { get; }
}
