using System.Xml.Linq;
using Microsoft.ML.Vae.Reports.Charts;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// A histogram of one or more series over shared bins, with optional vertical marker lines
/// (e.g. anomaly scores of normal and anomalous rows, and the decision threshold).
/// Each bin of each series is one SVG <c>&lt;rect&gt;</c> inside its series' <c>&lt;g class="series"&gt;</c>.
/// </summary>
public sealed class Histogram : SvgChart
{
    private readonly List<(string Name, string Color, double[] Values)> _series = [];
    private readonly List<(double X, string Label)> _markers = [];

    /// <summary>Creates a histogram; the vertical axis is labelled as counts (or density).</summary>
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
    /// <param name="color">A CSS colour such as <c>#1f77b4</c>; the next palette colour by default.</param>
    public Histogram AddSeries(string name, IEnumerable<double> values, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        _series.Add((name, color ?? ChartPalette.Get(_series.Count), values.Where(double.IsFinite).ToArray()));
        return this;
    }

    /// <summary>Adds a dashed vertical line at <paramref name="x"/> with a label, e.g. a threshold.</summary>
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

    private protected override (double XMin, double XMax, double YMin, double YMax) DataBounds()
    {
        var (lo, hi, width) = Bins();
        var (xMin, xMax) = Range(_series.SelectMany(s => s.Values).Concat(_markers.Select(m => m.X)).Append(lo).Append(hi));
        double yMax = _series.Count == 0 ? 1 : _series.Max(s => Count(s.Values, lo, width).DefaultIfEmpty(0).Max());
        return (xMin, xMax, 0, Math.Max(yMax, double.Epsilon));
    }

    private protected override void Plot(XElement plot, Axis x, Axis y)
    {
        var (lo, _, width) = Bins();
        foreach (var (name, color, values) in _series)
        {
            var group = Svg.Element("g", Svg.Attr("class", "series"), Svg.Attr("data-name", name), Svg.Attr("fill", color),
                Svg.Attr("fill-opacity", BarOpacity));
            double[] heights = Count(values, lo, width);
            for (int b = 0; b < heights.Length; b++)
            {
                double left = x.Map(lo + (b * width));
                double right = x.Map(lo + ((b + 1) * width));
                double top = y.Map(heights[b]);
                group.Add(Svg.Element("rect", Svg.Attr("x", left), Svg.Attr("y", top), Svg.Attr("width", Math.Max(0, right - left)),
                    Svg.Attr("height", Math.Max(0, y.Map(0) - top))));
            }

            plot.Add(group);
        }

        foreach (var (mx, label) in _markers)
        {
            double px = x.Map(mx);
            plot.Add(Svg.Element("g", Svg.Attr("class", "marker"),
                Svg.Line(px, y.PixelEnd, px, y.PixelStart, "#111", 1.5, "6 4"),
                Svg.Text(px + 4, y.PixelEnd + 14, label, anchor: "start", size: 11)));
        }
    }

    private protected override IReadOnlyList<(string Name, string Color)> LegendEntries() =>
        _series.Select(s => (s.Name, s.Color)).ToArray();

    // Bins span the values of all series (not the markers), so a far-away marker does not squash the bars.
    private (double Lo, double Hi, double Width) Bins()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BinCount, 1);
        var (lo, hi) = Range(_series.SelectMany(s => s.Values));
        if (double.IsNaN(lo))
        {
            (lo, hi) = (0, 1);
        }

        if (hi <= lo)
        {
            (lo, hi) = (lo - 0.5, hi + 0.5);
        }

        return (lo, hi, (hi - lo) / BinCount);
    }

    private double[] Count(double[] values, double lo, double width)
    {
        var counts = new double[BinCount];
        foreach (double v in values)
        {
            int bin = Math.Clamp((int)((v - lo) / width), 0, BinCount - 1);
            counts[bin]++;
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
