namespace Microsoft.ML.Vae.Training;

/// <summary>
/// Buffers for scoring up to <see cref="Rows"/> rows at a time. One per thread ([ThreadStatic] in the transformer),
/// so concurrent scoring shares nothing and steady-state scoring allocates nothing.
/// </summary>
internal sealed class ScoringWorkspace
{
    public const int DefaultRows = 256;

    public ScoringWorkspace(NetworkLayout layout, int rows = DefaultRows)
    {
        Rows = rows;
        FeatureCount = layout.FeatureCount;
        LatentDimension = layout.LatentDimension;
        MaxWidth = layout.MaxWidth;
        Hidden = [new float[rows * layout.MaxWidth], new float[rows * layout.MaxWidth]];
        Scaled = new float[rows * layout.FeatureCount];
        Reconstruction = new float[rows * layout.FeatureCount];
        Mean = new float[rows * layout.LatentDimension];
        LogVariance = new float[rows * layout.LatentDimension];
        Errors = new float[rows];
    }

    public int Rows { get; }

    public int FeatureCount { get; }

    public int LatentDimension { get; }

    public int MaxWidth { get; }

    /// <summary>Two hidden-layer buffers that consecutive layers take turns writing.</summary>
    public float[][] Hidden { get; }

    public float[] Scaled { get; }

    public float[] Reconstruction { get; }

    public float[] Mean { get; }

    public float[] LogVariance { get; }

    public float[] Errors { get; }

    public bool Fits(NetworkLayout layout) =>
        layout.FeatureCount == FeatureCount && layout.LatentDimension == LatentDimension && layout.MaxWidth <= MaxWidth;
}
