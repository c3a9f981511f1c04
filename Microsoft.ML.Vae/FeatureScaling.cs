namespace Microsoft.ML.Vae;

/// <summary>How features are scaled before the network sees them; fitted on the training rows.</summary>
public enum FeatureScaling
{
    /// <summary>Values are used as they are.</summary>
    None = 0,

    /// <summary>Each column is mapped linearly so its training minimum is 0 and maximum is 1.</summary>
    MinMax = 1,

    /// <summary>Each column is centred on its training mean and divided by its standard deviation.</summary>
    Standard = 2,
}
