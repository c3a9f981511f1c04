namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// The bad rows met in some stretch of an input: under <see cref="BadRowPolicy.Fail"/> the first one throws, under
/// <see cref="BadRowPolicy.Skip"/> they are counted and the first few positions kept. A block parsed on its own thread
/// keeps its own log, which the reader appends to its own in input order.
/// </summary>
internal sealed class BadRowLog(BadRowPolicy policy)
{
    /// <summary>How many skipped positions are remembered for the report.</summary>
    public const int PositionsKept = 10;

    private readonly List<long> _first = [];

    public BadRowPolicy Policy { get; } = policy;

    /// <summary>Rows left out under <see cref="BadRowPolicy.Skip"/>.</summary>
    public long Count { get; private set; }

    /// <summary>Where the first skipped rows are, in input order.</summary>
    public IReadOnlyList<long> FirstPositions => _first;

    /// <summary>
    /// A bad row at <paramref name="position"/>: under <see cref="BadRowPolicy.Fail"/> throws <paramref name="error"/>'s
    /// exception; under <see cref="BadRowPolicy.Skip"/> counts it and returns false.
    /// </summary>
    public bool Bad(long position, Func<Exception> error)
    {
        if (Policy == BadRowPolicy.Fail)
        {
            throw error();
        }

        Count++;
        if (_first.Count < PositionsKept)
        {
            _first.Add(position);
        }

        return false;
    }

    /// <summary>Adds the bad rows of a later stretch of the input.</summary>
    public void Append(BadRowLog later)
    {
        Count += later.Count;
        for (int i = 0; i < later._first.Count && _first.Count < PositionsKept; i++)
        {
            _first.Add(later._first[i]);
        }
    }

    public void Clear()
    {
        Count = 0;
        _first.Clear();
    }
}
