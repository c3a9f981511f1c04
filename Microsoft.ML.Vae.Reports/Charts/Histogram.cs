using ScottPlot;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// A histogram of one or more series over shared bins, with optional dashed vertical marker lines
/// (e.g. anomaly scores of normal and anomalous rows, and the decision threshold).
/// </summary>
public sealed class Histogram : Chart
{
    private readonly List<(string Name, string Color, double[] Values)> _series = [];
    private readonly List<(double X, string Label)> _markers = [];

    /// <summary>Creates a histogram; the vertical axis is labelled as counts.</summary>
    public Histogram()
    {
        YLabel = "count";
    }

    /// <summary>Number of equal-width bins spanning all series' values.</summary>
    public int BinCount { get; set; } = 40;

    /// <summary>Show each bin as the share of its series' values (each series sums to 1) instead of counts, so
    /// series of different sizes compare.</summary>
    public bool Density { get; set; }

    /// <summary>Opacity of the bars (0..1), so overlapping series stay visible.</summary>
    public double BarOpacity { get; set; } = 0.55;

    /// <summary>Adds a series of values; non-finite values are ignored.</summary>
    /// <param name="name">Legend text.</param>
    /// <param name="values">The observations.</param>
    /// <param name="color">A colour such as <c>#1f77b4</c>; the next palette colour by default.</param>
    public Histogram AddSeries(string name, IEnumerable<double> values, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        _series.Add((name, color ?? ChartPalette.Get(_series.Count), values.Where(double.IsFinite).ToArray()));
        return this;
    }

    /// <summary>Adds a dashed vertical line at <paramref name="x"/>, named in the legend (e.g. a threshold).</summary>
    public Histogram AddMarker(double x, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!double.IsFinite(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "A marker needs a finite position.");
        }

        _markers.Add((x, label));
        return this;
    }

    private protected override void Draw(Plot plot, List<LegendItem> legend)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BinCount, 1);
        var (lo, hi) = BinRange();
        double width = (hi - lo) / BinCount;
        foreach (var (name, hex, values) in _series)
        {
            Color color = ToColor(hex).WithOpacity(BarOpacity);
            double[] heights = Heights(values, lo, width);
            var bars = heights.Select((height, b) => new Bar
            {
                Position = lo + ((b + 0.5) * width),
                Value = height,
                Size = width,
                FillColor = color,
                LineWidth = 0,
            }).ToArray();
            plot.Add.Bars(bars);
            legend.Add(new LegendItem { LabelText = name, FillColor = color });
        }

        plot.Axes.Margins(bottom: 0);
        foreach (var (x, label) in _markers)
        {
            plot.Add.VerticalLine(x, 2, Colors.Black, LinePattern.Dashed);
            legend.Add(new LegendItem { LabelText = label, LineColor = Colors.Black, LineWidth = 2, LinePattern = LinePattern.Dashed });
        }
    }

    // Bins span the values of all series (not the markers), so a far-away marker does not squash the bars.
    private (double Lo, double Hi) BinRange()
    {
        var values = _series.SelectMany(s => s.Values).ToArray();
        if (values.Length == 0)
        {
            return (0, 1);
        }

        double lo = values.Min(), hi = values.Max();
        return hi > lo ? (lo, hi) : (lo - 0.5, hi + 0.5);
    }

    private double[] Heights(double[] values, double lo, double width)
    {
        var counts = new double[BinCount];
        foreach (double v in values)
        {
            counts[Math.Clamp((int)((v - lo) / width), 0, BinCount - 1)]++;
        }

        if (Density && values.Length > 0)
        {
            for (int b = 0; b < counts.Length; b++)
            {
                counts[b] /= values.Length;
            }
        }

        return counts;
    }
}
