using Microsoft.ML.Data;

namespace Microsoft.ML.Vae.MlNet;

/// <summary>
/// The values of one passed-through input column for a block of rows. A batched cursor reads its input ahead by a
/// block, so it keeps each active input column's values until its own position reaches them.
/// </summary>
internal abstract class InputColumnCache
{
    /// <summary>A cache for <paramref name="column"/>, read from <paramref name="input"/>.</summary>
    public static InputColumnCache Create(DataViewRow input, DataViewSchema.Column column, int capacity)
    {
        Type type = column.Type is VectorDataViewType vector
            ? typeof(VectorCache<>).MakeGenericType(vector.ItemType.RawType)
            : typeof(ValueCache<>).MakeGenericType(column.Type.RawType);
        return (InputColumnCache)Activator.CreateInstance(type, input, column, capacity)!;
    }

    /// <summary>Reads the input's current value into slot <paramref name="slot"/>.</summary>
    public abstract void Read(int slot);

    /// <summary>A getter of the slot that <paramref name="slot"/> names when it is called.</summary>
    public abstract Delegate Getter(Func<int> slot);

    /// <summary>Scalars, text and other immutable values: the getter hands out the stored value.</summary>
    private sealed class ValueCache<T>(DataViewRow input, DataViewSchema.Column column, int capacity) : InputColumnCache
    {
        private readonly ValueGetter<T> _source = input.GetGetter<T>(column);
        private readonly T[] _values = new T[capacity];

        public override void Read(int slot) => _source(ref _values[slot]);

        public override Delegate Getter(Func<int> slot) => (ValueGetter<T>)((ref T destination) => destination = _values[slot()]);
    }

    /// <summary>Vectors: each slot keeps its own buffers, and the getter copies, so callers never share them.</summary>
    private sealed class VectorCache<T>(DataViewRow input, DataViewSchema.Column column, int capacity) : InputColumnCache
    {
        private readonly ValueGetter<VBuffer<T>> _source = input.GetGetter<VBuffer<T>>(column);
        private readonly VBuffer<T>[] _values = new VBuffer<T>[capacity];

        public override void Read(int slot) => _source(ref _values[slot]);

        public override Delegate Getter(Func<int> slot) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> destination) => _values[slot()].CopyTo(ref destination));
    }
}
