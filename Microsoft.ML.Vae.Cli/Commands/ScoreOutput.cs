namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// Where <c>vae score</c> writes its rows (<see cref="ScoreColumns"/>): a CSV or a Parquet file. The score pipeline
/// calls <see cref="Prepare"/> on its scorer threads, blocks in any order, for the work that can run in parallel
/// (formatting text), then <see cref="Write"/> on one thread in input order.
/// </summary>
internal abstract class ScoreOutput : IDisposable
{
    /// <summary>Work on one scored block that does not depend on order; called from several threads, one block each.</summary>
    public virtual void Prepare(ScoreBlock block)
    {
    }

    /// <summary>Appends a prepared block; called in input order from one thread.</summary>
    public abstract void Write(ScoreBlock block);

    /// <summary>Writes out everything held back; the stream then holds the whole output.</summary>
    public abstract void Complete();

    public virtual void Dispose()
    {
    }
}
