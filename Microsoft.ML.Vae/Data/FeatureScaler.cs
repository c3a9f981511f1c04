using System.Numerics.Tensors;

namespace Microsoft.ML.Vae.Data;

/// <summary>
/// Per-column affine scaling fitted on training rows: scaled = (x - Offset) / Scale, x = scaled * Scale + Offset.
/// The same two vectors are saved in the model file and become Sub/Div and Mul/Add nodes in the ONNX graph.
/// </summary>
internal sealed class FeatureScaler
{
    public FeatureScaler(float[] offset, float[] scale)
    {
        Offset = offset;
        Scale = scale;
        IsIdentity = Array.TrueForAll(offset, o => o == 0f) && Array.TrueForAll(scale, s => s == 1f);
    }

    /// <summary>Offsets all 0 and scales all 1 (as with no scaling): both directions are exact no-ops.</summary>
    public bool IsIdentity { get; }

    /// <summary>The scaled rows: <paramref name="source"/> itself for the identity (no pass at all), else scaled into <paramref name="buffer"/>.</summary>
    public ReadOnlySpan<float> Apply(ReadOnlySpan<float> source, Span<float> buffer, int rowCount)
    {
        if (IsIdentity)
        {
            return source;
        }

        Transform(source, buffer, rowCount);
        return buffer[..source.Length];
    }

    public float[] Offset { get; }

    public float[] Scale { get; }

    public int FeatureCount => Offset.Length;

    public static FeatureScaler Fit(FeatureMatrix rows, FeatureScaling scaling)
    {
        int columns = rows.ColumnCount;
        var offset = new float[columns];
        var scale = new float[columns];
        Array.Fill(scale, 1f);
        if (scaling == FeatureScaling.None)
        {
            return new FeatureScaler(offset, scale);
        }

        ReadOnlySpan<float> values = rows.Values.Span;
        var min = new double[columns];
        var max = new double[columns];
        var sum = new double[columns];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        for (int r = 0; r < rows.RowCount; r++)
        {
            ReadOnlySpan<float> row = values.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                double v = row[c];
                min[c] = Math.Min(min[c], v);
                max[c] = Math.Max(max[c], v);
                sum[c] += v;
            }
        }

        if (scaling == FeatureScaling.MinMax)
        {
            for (int c = 0; c < columns; c++)
            {
                offset[c] = (float)min[c];
                scale[c] = SafeScale(max[c] - min[c]);
            }

            return new FeatureScaler(offset, scale);
        }

        var squares = new double[columns];
        for (int r = 0; r < rows.RowCount; r++)
        {
            ReadOnlySpan<float> row = values.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                double d = row[c] - (sum[c] / rows.RowCount);
                squares[c] += d * d;
            }
        }

        for (int c = 0; c < columns; c++)
        {
            offset[c] = (float)(sum[c] / rows.RowCount);
            scale[c] = SafeScale(Math.Sqrt(squares[c] / rows.RowCount));
        }

        return new FeatureScaler(offset, scale);
    }

    /// <summary>A constant column (zero spread) keeps scale 1, so it maps to 0 instead of dividing by zero.</summary>
    private static float SafeScale(double spread)
    {
        float s = (float)spread;
        return s > 0 && float.IsFinite(s) && float.IsNormal(s) ? s : 1f;
    }

    /// <summary>Scales <paramref name="rowCount"/> rows from <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public void Transform(ReadOnlySpan<float> source, Span<float> destination, int rowCount)
    {
        int columns = FeatureCount;
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> y = destination.Slice(r * columns, columns);
            TensorPrimitives.Subtract(source.Slice(r * columns, columns), Offset, y);
            TensorPrimitives.Divide(y, Scale, y);
        }
    }

    /// <summary>Maps scaled rows back to original units (a multiply, then an add: the ONNX graph's Mul and Add).</summary>
    public void InverseTransform(ReadOnlySpan<float> source, Span<float> destination, int rowCount)
    {
        if (IsIdentity)
        {
            source.CopyTo(destination);
            return;
        }

        int columns = FeatureCount;
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> y = destination.Slice(r * columns, columns);
            TensorPrimitives.Multiply(source.Slice(r * columns, columns), Scale, y);
            TensorPrimitives.Add(y, Offset, y);
        }
    }
}
