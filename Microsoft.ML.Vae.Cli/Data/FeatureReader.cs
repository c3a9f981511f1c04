using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Reads the rows of a tabular input in blocks: the feature columns into a row-major float span, key columns as text,
/// the label as a bool. A bad row (missing or unusable value) fails with an error naming the file, the place and the
/// column, or is skipped and counted. The commands read through this and do not care whether the input is CSV or
/// Parquet (<see cref="FeatureInput"/> opens the right one).
/// </summary>
internal abstract class FeatureReader : IDisposable
{
    private readonly BadRowLog _badRows;
    private ColumnLayout? _layout;

    protected FeatureReader(InputFile input, BadRowPolicy policy)
    {
        Input = input;
        Policy = policy;
        _badRows = new BadRowLog(policy);
    }

    /// <summary>The input's name in messages: its path, or "standard input".</summary>
    public string Name => Input.Name;

    /// <summary>The input being read (which file it is, for checks against outputs).</summary>
    public InputFile Input { get; }

    public BadRowPolicy Policy { get; }

    /// <summary>The selected columns; set once by the reader when it has read the header or schema.</summary>
    protected ColumnLayout Layout
    {
        get => _layout ?? NotResolved(); // no throw here: the getter is read per row and must stay inlinable
        set
        {
            _layout = value;
            Keys = new RowTextBuffer(value.Keys.Length);
        }
    }

    /// <summary>All column names of the input, in file order.</summary>
    public IReadOnlyList<string> Header => Layout.Columns;

    public IReadOnlyList<string> FeatureNames => Layout.FeatureNames;

    /// <summary>Columns left out of the features because they are named like an id or a label (<see cref="ColumnRoles"/>).</summary>
    public IReadOnlyList<string> LeftOutColumns => Layout.LeftOut;

    public int FeatureCount => Layout.Features.Length;

    /// <summary>Key column names, in --keep order.</summary>
    public IReadOnlyList<string> KeyNames => Layout.KeyNames;

    /// <summary>The key fields of the rows of the last block read without a buffer of its own, as text.</summary>
    public RowTextBuffer Keys { get; private set; } = new(0);

    /// <summary>Good rows read so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Rows left out under <see cref="BadRowPolicy.Skip"/>.</summary>
    public long SkippedRowCount => _badRows.Count;

    /// <summary>Where the first skipped rows are (<see cref="PositionName"/>s: CSV line numbers, Parquet row numbers).</summary>
    public IReadOnlyList<long> FirstSkipped => _badRows.FirstPositions;

    /// <summary>What <see cref="FirstSkipped"/> counts, for messages: "line" or "row".</summary>
    public abstract string PositionName { get; }

    /// <summary>Share of the input consumed, for progress bars (0 when unknown, as for a pipe).</summary>
    public virtual double Fraction => Input.Fraction;

    /// <summary>
    /// Reads up to <c>features.Length / FeatureCount</c> good rows into <paramref name="features"/> (row-major), their
    /// labels into <paramref name="labels"/> (when a label column is set) and key fields into <paramref name="keys"/>
    /// (default <see cref="Keys"/>). Returns the rows read; 0 at the end.
    /// </summary>
    public int ReadBlock(Span<float> features, Span<bool> labels = default, RowTextBuffer? keys = null)
    {
        keys ??= Keys;
        keys.Clear();
        int rows = ReadRows(features, labels, keys);
        RowCount += rows;
        return rows;
    }

    /// <summary>
    /// <see cref="ReadBlock(Span{float}, Span{bool}, RowTextBuffer?)"/>'s reading: fills up to
    /// <c>features.Length / FeatureCount</c> good rows, adding key fields to <paramref name="keys"/>; 0 at the end.
    /// </summary>
    protected abstract int ReadRows(Span<float> features, Span<bool> labels, RowTextBuffer keys);

    /// <summary>
    /// Fills <paramref name="block"/> with the next rows; call from one thread, in input order. False at the end. A reader
    /// that parses on other threads leaves the block's input text for <see cref="ParseBlock"/> instead.
    /// </summary>
    public virtual bool ReadBlock(FeatureBlock block)
    {
        block.Reset();
        block.Rows = ReadBlock(block.Features, block.Labels, block.Keys);
        return block.Rows > 0;
    }

    /// <summary>
    /// Parses the input text <see cref="ReadBlock(FeatureBlock)"/> left in <paramref name="block"/>, if any; safe on any
    /// thread, for different blocks at once. A bad row's error is kept in the block for <see cref="CommitBlock"/>.
    /// </summary>
    public virtual void ParseBlock(FeatureBlock block)
    {
    }

    /// <summary>
    /// Settles a block in input order: counts its rows and skipped rows, or throws the bad-row error its parsing met
    /// (so the error reported is always the first one in the input, whichever thread parsed it).
    /// </summary>
    public void CommitBlock(FeatureBlock block)
    {
        if (!block.Uncommitted)
        {
            return;
        }

        block.Uncommitted = false;
        block.Error?.Throw();
        RowCount += block.Rows;
        _badRows.Append(block.BadRows);
    }

    /// <summary>An error about the whole input (no rows, too many), as this format's exception.</summary>
    public abstract InputDataException DataError(string problem);

    public virtual void Dispose() => Input.Dispose();

    /// <summary>The bad rows of the reads that count them on the reader itself (not per block).</summary>
    protected BadRowLog BadRows => _badRows;

    /// <summary>
    /// Creates a reader that takes ownership of <paramref name="input"/>, closing the input when the reader cannot be
    /// created (a bad header, a file of another format).
    /// </summary>
    protected static T Owning<T>(InputFile input, Func<T> create)
        where T : FeatureReader
    {
        try
        {
            return create();
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    private static ColumnLayout NotResolved() => throw new InvalidOperationException("The columns are not resolved yet.");

    /// <summary>The advice every bad-row error ends with.</summary>
    protected const string SkipAdvice = " Use --bad-rows skip to leave such rows out.";
}
