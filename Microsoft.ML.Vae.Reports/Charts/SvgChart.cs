using System.Xml.Linq;
using Microsoft.ML.Vae.Reports.Charts;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// The frame every chart shares: title, axes with nice ticks and grid lines, axis labels and a legend.
/// Subclasses supply their data's bounds and draw inside the plot area. Output is standalone SVG 1.1.
/// </summary>
public abstract class SvgChart
{
    private const double MarginLeft = 70;
    private const double MarginTop = 44;
    private const double MarginBottom = 52;
    private const double MarginRight = 20;

    private protected SvgChart()
    {
    }

    /// <summary>Title drawn above the plot.</summary>
    public string Title { get; set; } = "";

    /// <summary>Label of the horizontal axis.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Label of the vertical axis.</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Width of the picture in pixels.</summary>
    public int Width { get; set; } = 640;

    /// <summary>Height of the picture in pixels.</summary>
    public int Height { get; set; } = 480;

    /// <summary>Returns the chart as an SVG document (no XML declaration, so it can also be inlined in HTML).</summary>
    public string ToSvg() => ToElement().ToString(SaveOptions.DisableFormatting);

    /// <summary>Writes the chart as an <c>.svg</c> file, atomically.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportFile.WriteAllText(path, ToSvg());
    }

    /// <summary>Builds the chart's <c>&lt;svg&gt;</c> element.</summary>
    public XElement ToElement()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(Height, 150);

        var legend = LegendEntries();
        double right = Width - MarginRight - LegendWidth(legend);
        double bottom = Height - MarginBottom;
        var (xMin, xMax, yMin, yMax) = DataBounds();
        var x = new Axis(xMin, xMax, MarginLeft, right);
        var y = new Axis(yMin, yMax, bottom, MarginTop);

        var svg = Svg.Element(
            "svg",
            Svg.Attr("width", Width),
            Svg.Attr("height", Height),
            Svg.Attr("viewBox", $"0 0 {Width} {Height}"),
            Svg.Attr("font-family", "sans-serif"),
            Svg.Rect(0, 0, Width, Height, "white"));

        svg.Add(DrawAxes(x, y));
        var plot = Svg.Element("g", Svg.Attr("class", "plot"));
        Plot(plot, x, y);
        svg.Add(plot);
        svg.Add(Svg.Element("rect", Svg.Attr("x", MarginLeft), Svg.Attr("y", MarginTop), Svg.Attr("width", right - MarginLeft),
            Svg.Attr("height", bottom - MarginTop), Svg.Attr("fill", "none"), Svg.Attr("stroke", "#444")));

        svg.Add(Svg.Text(Width / 2.0, 26, Title, size: 16));
        svg.Add(Svg.Text((MarginLeft + right) / 2, Height - 12, XLabel));
        double yMid = (MarginTop + bottom) / 2;
        svg.Add(Svg.Text(18, yMid, YLabel, extra: $"rotate(-90 18 {Svg.Number(yMid)})"));
        if (legend.Count > 0)
        {
            svg.Add(DrawLegend(legend, right + 14));
        }

        return svg;
    }

    /// <summary>The data range to show: minimum and maximum along each axis.</summary>
    private protected abstract (double XMin, double XMax, double YMin, double YMax) DataBounds();

    /// <summary>Draws the data into <paramref name="plot"/>, mapping values through the axes.</summary>
    private protected abstract void Plot(XElement plot, Axis x, Axis y);

    /// <summary>Name and colour of each legend entry; none hides the legend.</summary>
    private protected abstract IReadOnlyList<(string Name, string Color)> LegendEntries();

    /// <summary>Smallest and largest finite values, or (NaN, NaN) when there are none.</summary>
    private protected static (double Min, double Max) Range(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return min <= max ? (min, max) : (double.NaN, double.NaN);
    }

    // Room for the swatch and the longest name (about 7 px per character at 12 px).
    private static double LegendWidth(IReadOnlyList<(string Name, string Color)> legend) =>
        legend.Count == 0 ? 0 : 44 + (7 * legend.Max(entry => entry.Name.Length));

    private static XElement DrawAxes(Axis x, Axis y)
    {
        var group = Svg.Element("g", Svg.Attr("class", "axes"), Svg.Attr("font-size", 11));
        foreach (double tick in x.Ticks)
        {
            double px = x.Map(tick);
            group.Add(Svg.Line(px, y.PixelEnd, px, y.PixelStart, "#e6e6e6"));
            group.Add(Svg.Line(px, y.PixelStart, px, y.PixelStart + 5, "#444"));
            group.Add(Svg.Text(px, y.PixelStart + 18, x.Format(tick), size: 11));
        }

        foreach (double tick in y.Ticks)
        {
            double py = y.Map(tick);
            group.Add(Svg.Line(x.PixelStart, py, x.PixelEnd, py, "#e6e6e6"));
            group.Add(Svg.Line(x.PixelStart - 5, py, x.PixelStart, py, "#444"));
            group.Add(Svg.Text(x.PixelStart - 8, py + 4, y.Format(tick), anchor: "end", size: 11));
        }

        return group;
    }

    private static XElement DrawLegend(IReadOnlyList<(string Name, string Color)> entries, double left)
    {
        var group = Svg.Element("g", Svg.Attr("class", "legend"));
        for (int i = 0; i < entries.Count; i++)
        {
            double top = MarginTop + 6 + (i * 20);
            group.Add(Svg.Rect(left, top, 12, 12, entries[i].Color));
            group.Add(Svg.Text(left + 18, top + 10, entries[i].Name, anchor: "start"));
        }

        return group;
    }
}
