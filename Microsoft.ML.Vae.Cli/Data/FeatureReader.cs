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
    /// <summary>How many skipped positions are remembered for the report.</summary>
    public const int SkippedPositionsKept = 10;

    private readonly List<long> _firstSkipped = [];
    private ColumnLayout? _layout;

    protected FeatureReader(InputFile input, BadRowPolicy policy)
    {
        Input = input;
        Policy = policy;
    }

    /// <summary>The input's name in messages: its path, or "standard input".</summary>
    public string Name => Input.Name;

    /// <summary>The input being read (which file it is, for checks against outputs).</summary>
    public InputFile Input { get; }

    public BadRowPolicy Policy { get; }

    /// <summary>The selected columns; set once by the reader when it has read the header or schema.</summary>
    protected ColumnLayout Layout
    {
        get => _layout ?? throw new InvalidOperationException("The columns are not resolved yet.");
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
    public long RowCount { get; protected set; }

    /// <summary>Rows left out under <see cref="BadRowPolicy.Skip"/>.</summary>
    public long SkippedRowCount { get; private set; }

    /// <summary>Where the first skipped rows are (<see cref="PositionName"/>s: CSV line numbers, Parquet row numbers).</summary>
    public IReadOnlyList<long> FirstSkipped => _firstSkipped;

    /// <summary>What <see cref="FirstSkipped"/> counts, for messages: "line" or "row".</summary>
    public abstract string PositionName { get; }

    /// <summary>Share of the input consumed, for progress bars (0 when unknown, as for a pipe).</summary>
    public virtual double Fraction => Input.Fraction;

    /// <summary>
    /// Reads up to <c>features.Length / FeatureCount</c> good rows into <paramref name="features"/> (row-major), their
    /// labels into <paramref name="labels"/> (when a label column is set) and key fields into <paramref name="keys"/>
    /// (default <see cref="Keys"/>). Returns the rows read; 0 at the end.
    /// </summary>
    public abstract int ReadBlock(Span<float> features, Span<bool> labels = default, RowTextBuffer? keys = null);

    /// <summary>An error about the whole input (no rows, too many), as this format's exception.</summary>
    public abstract InputDataException DataError(string problem);

    public virtual void Dispose() => Input.Dispose();

    /// <summary>
    /// A bad row at <paramref name="position"/>: under <see cref="BadRowPolicy.Fail"/> throws <paramref name="error"/>'s
    /// exception; under <see cref="BadRowPolicy.Skip"/> counts it and returns false.
    /// </summary>
    protected bool Bad(long position, Func<Exception> error)
    {
        if (Policy == BadRowPolicy.Fail)
        {
            throw error();
        }

        SkippedRowCount++;
        if (_firstSkipped.Count < SkippedPositionsKept)
        {
            _firstSkipped.Add(position);
        }

        return false;
    }

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

    /// <summary>The advice every bad-row error ends with.</summary>
    protected const string SkipAdvice = " Use --bad-rows skip to leave such rows out.";
}
