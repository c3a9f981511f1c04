namespace Microsoft.ML.Vae.Cli.Evaluation;

/// <summary>An append-only buffer of unmanaged values (one array, doubled as needed): one score per row, no objects.</summary>
internal sealed class GrowingArray<T>
    where T : unmanaged
{
    private T[] _items = new T[1024];

    public int Count { get; private set; }

    public void Add(ReadOnlySpan<T> items)
    {
        if (Count + items.Length > _items.Length)
        {
            Array.Resize(ref _items, Math.Max(_items.Length * 2, Count + items.Length));
        }

        items.CopyTo(_items.AsSpan(Count));
        Count += items.Length;
    }

    public Span<T> AsSpan() => _items.AsSpan(0, Count);
}
