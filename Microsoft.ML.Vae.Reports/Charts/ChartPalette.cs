namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// The ten categorical colours charts use for series (and for the ten MNIST digits), in the widely used
/// "tab10" order, so the same class has the same colour in every chart.
/// </summary>
public static class ChartPalette
{
    private static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Number of distinct colours before they repeat.</summary>
    public static int Count => Colors.Length;

    /// <summary>The colour of series <paramref name="index"/> as <c>#rrggbb</c> (cycling after <see cref="Count"/>).</summary>
    public static string Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Colors[index % Colors.Length];
    }
}
