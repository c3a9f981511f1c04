namespace VaeMl.Examples;

/// <summary>One MNIST image as ML.NET reads it (see <see cref="MnistDataView"/>).</summary>
public sealed class MnistRow
{
    /// <summary>The pixels in [0, 1], row by row; the view declares the vector's size.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>What the example makes of the digit: the digit itself, or 1 for an anomaly and 0 for a normal image.</summary>
    public float Label { get; set; }
}
