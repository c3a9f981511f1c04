using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// The buffers for one block of rows on its way through read -> score -> write: the input rows (<see cref="FeatureBlock"/>)
/// and the model's outputs. Allocated once and reused, so a run of any length allocates a fixed number of them.
/// </summary>
internal sealed class ScoreBlock : FeatureBlock
{
    public ScoreBlock(int capacity, int featureCount, int latentDimension, int topFeatures, int keyColumns, BadRowPolicy policy)
        : base(capacity, featureCount, keyColumns, policy)
    {
        TopFeatureCount = topFeatures;
        LatentMeans = new float[capacity * latentDimension];
        ReconstructionErrors = new float[capacity];
        Scores = new float[capacity];
        PredictedLabels = new bool[capacity];
        TopIndex = new int[capacity * topFeatures];
        TopError = new float[capacity * topFeatures];
    }

    /// <summary>The block's place in the input (0, 1, ...), so output keeps input order.</summary>
    public long Sequence { get; set; }

    public int TopFeatureCount { get; }

    public float[] LatentMeans { get; }

    public float[] ReconstructionErrors { get; }

    public float[] Scores { get; }

    public bool[] PredictedLabels { get; }

    /// <summary>Per row, the indexes of the features with the largest errors, largest first.</summary>
    public int[] TopIndex { get; }

    public float[] TopError { get; }

    /// <summary>The block's rows formatted as CSV by the scorer thread (CSV output only), written out in order.</summary>
    public CsvOutputWriter? Text { get; set; }

    /// <summary>Fills this block from <paramref name="reader"/> on this thread, parsing included; returns the rows read (0 at the end).</summary>
    public int ReadFrom(FeatureReader reader) => Rows = reader.ReadBlock(Features, Labels, Keys);

    /// <summary>The <paramref name="rank"/>-th (0 = largest) feature by reconstruction error of row <paramref name="row"/>.</summary>
    public (int Feature, float Error) TopFeature(int row, int rank) =>
        (TopIndex[row * TopFeatureCount + rank], TopError[row * TopFeatureCount + rank]);
}
