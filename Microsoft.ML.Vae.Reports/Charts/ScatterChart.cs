using System.Xml.Linq;
using Microsoft.ML.Vae.Reports.Charts;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// A scatter plot with one colour per series and a legend, e.g. a 2-D latent map coloured by class.
/// Each point is an SVG <c>&lt;circle&gt;</c> inside its series' <c>&lt;g class="series"&gt;</c>.
/// </summary>
public sealed class ScatterChart : SvgChart
{
    private readonly List<(string Name, string Color, (double X, double Y)[] Points)> _series = [];

    /// <summary>Radius of each point in pixels.</summary>
    public double PointRadius { get; set; } = 1.6;

    /// <summary>Opacity of each point (0..1): below 1, dense regions show through.</summary>
    public double PointOpacity { get; set; } = 0.6;

    /// <summary>Adds a series; its colour is the next palette colour unless <paramref name="color"/> is given.</summary>
    /// <param name="name">Legend text.</param>
    /// <param name="points">The points; non-finite ones are skipped.</param>
    /// <param name="color">A CSS colour such as <c>#1f77b4</c>.</param>
    public ScatterChart AddSeries(string name, IEnumerable<(double X, double Y)> points, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(points);
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        _series.Add((name, color ?? ChartPalette.Get(_series.Count), finite));
        return this;
    }

    private protected override (double XMin, double XMax, double YMin, double YMax) DataBounds()
    {
        var (xMin, xMax) = Range(_series.SelectMany(s => s.Points).Select(p => p.X));
        var (yMin, yMax) = Range(_series.SelectMany(s => s.Points).Select(p => p.Y));
        return (xMin, xMax, yMin, yMax);
    }

    private protected override void Plot(XElement plot, Axis x, Axis y)
    {
        foreach (var (name, color, points) in _series)
        {
            var group = Svg.Element("g", Svg.Attr("class", "series"), Svg.Attr("data-name", name), Svg.Attr("fill", color),
                Svg.Attr("fill-opacity", PointOpacity));
            foreach (var (px, py) in points)
            {
                group.Add(Svg.Element("circle", Svg.Attr("cx", x.Map(px)), Svg.Attr("cy", y.Map(py)), Svg.Attr("r", PointRadius)));
            }

            plot.Add(group);
        }
    }

    private protected override IReadOnlyList<(string Name, string Color)> LegendEntries() =>
        _series.Select(s => (s.Name, s.Color)).ToArray();
}
