using Microsoft.ML;
using Microsoft.ML.Data;

namespace VaeMl.Examples;

/// <summary>
/// MNIST images as an ML.NET <see cref="IDataView"/>: <c>Features</c>, a <c>Vector&lt;Single, PixelCount&gt;</c> of pixels in
/// [0, 1], and <c>Label</c> (<see cref="float"/>). Rows are made as a cursor reads them, so the view holds no second copy
/// of the pixels.
/// </summary>
public static class MnistDataView
{
    /// <summary>The images of <paramref name="split"/> whose digit passes <paramref name="include"/> (all when null), labelled <paramref name="label"/>(digit).</summary>
    public static IDataView Load(MLContext ml, MnistSplit split, Func<byte, float> label, Func<byte, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(label);

        // The vector's size is the files' (784 for MNIST, smaller for the tests' images), so it is set here, not by an attribute.
        SchemaDefinition schema = SchemaDefinition.Create(typeof(MnistRow));
        schema[nameof(MnistRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, split.Images.PixelCount);
        return ml.Data.LoadFromEnumerable(Rows(split, label, include), schema);
    }

    private static IEnumerable<MnistRow> Rows(MnistSplit split, Func<byte, float> label, Func<byte, bool>? include)
    {
        for (int i = 0; i < split.Count; i++)
        {
            byte digit = split.Labels[i];
            if (include is null || include(digit))
            {
                yield return new MnistRow { Features = split.Images.GetImage(i).ToArray(), Label = label(digit) };
            }
        }
    }
}
