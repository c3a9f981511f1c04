using System.Runtime.ExceptionServices;

namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// The input side of a block of rows: the feature values (row-major), labels and key text a
/// <see cref="FeatureReader"/> fills. A reader that parses on other threads (<see cref="FeatureReader.ParseBlock"/>)
/// first leaves the block's input text in it; what parsing found (good rows, skipped rows, a bad-row error) is settled
/// in input order by <see cref="FeatureReader.CommitBlock"/>. Allocated once and reused.
/// </summary>
internal class FeatureBlock(int capacity, int featureCount, int keyColumns, BadRowPolicy policy)
{
    /// <summary>The most rows the block holds.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Rows filled.</summary>
    public int Rows { get; set; }

    /// <summary>Input rows, row-major.</summary>
    public float[] Features { get; } = new float[capacity * featureCount];

    /// <summary>The label column's values (when a label column is set).</summary>
    public bool[] Labels { get; } = new bool[capacity];

    /// <summary>The --keep columns' text.</summary>
    public RowTextBuffer Keys { get; } = new(keyColumns);

    /// <summary>
    /// Input text read for this block and not parsed yet (readers that parse on other threads); empty once parsed, or
    /// when the reader filled the rows itself.
    /// </summary>
    internal InputText RawText { get; } = new();

    /// <summary>Whether rows and bad rows are still to be counted by <see cref="FeatureReader.CommitBlock"/>.</summary>
    internal bool Uncommitted { get; set; }

    /// <summary>The skipped rows of this block, until committed.</summary>
    internal BadRowLog BadRows { get; } = new(policy);

    /// <summary>The bad-row or malformed-input error this block's parsing met, thrown when the block is committed.</summary>
    internal ExceptionDispatchInfo? Error { get; set; }

    /// <summary>Empties the block before it is filled again.</summary>
    internal void Reset()
    {
        Rows = 0;
        Keys.Clear();
        RawText.Length = 0;
        Uncommitted = false;
        BadRows.Clear();
        Error = null;
    }
}
