using System.Xml.Linq;
using Microsoft.ML.Vae.Reports.Charts;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// A line chart of several series over a shared x axis, e.g. training and validation loss per epoch.
/// Each series is one or more SVG <c>&lt;polyline&gt;</c> elements (a non-finite value breaks the line).
/// </summary>
public sealed class LineChart : SvgChart
{
    private readonly List<(string Name, string Color, (double X, double Y)[] Points)> _series = [];

    /// <summary>Width of the lines in pixels.</summary>
    public double LineWidth { get; set; } = 2;

    /// <summary>Adds a series; its colour is the next palette colour unless <paramref name="color"/> is given.</summary>
    /// <param name="name">Legend text.</param>
    /// <param name="points">The points in drawing order; a non-finite value leaves a gap.</param>
    /// <param name="color">A CSS colour such as <c>#1f77b4</c>.</param>
    public LineChart AddSeries(string name, IEnumerable<(double X, double Y)> points, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(points);
        _series.Add((name, color ?? ChartPalette.Get(_series.Count), points.ToArray()));
        return this;
    }

    /// <summary>Adds a series whose x values are 1, 2, 3, ... (e.g. epochs).</summary>
    public LineChart AddSeries(string name, IEnumerable<double> values, string? color = null) =>
        AddSeries(name, values.Select((v, i) => ((double)(i + 1), v)), color);

    private protected override (double XMin, double XMax, double YMin, double YMax) DataBounds()
    {
        var finite = _series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        var (xMin, xMax) = Range(finite.Select(p => p.X));
        var (yMin, yMax) = Range(finite.Select(p => p.Y));
        return (xMin, xMax, yMin, yMax);
    }

    private protected override void Plot(XElement plot, Axis x, Axis y)
    {
        foreach (var (name, color, points) in _series)
        {
            var group = Svg.Element("g", Svg.Attr("class", "series"), Svg.Attr("data-name", name), Svg.Attr("fill", "none"),
                Svg.Attr("stroke", color), Svg.Attr("stroke-width", LineWidth), Svg.Attr("stroke-linejoin", "round"));
            var run = new List<string>();
            void Flush()
            {
                if (run.Count > 1)
                {
                    group.Add(Svg.Element("polyline", Svg.Attr("points", string.Join(' ', run))));
                }
                else if (run.Count == 1)
                {
                    string[] xy = run[0].Split(',');
                    group.Add(Svg.Element("circle", Svg.Attr("cx", xy[0]), Svg.Attr("cy", xy[1]), Svg.Attr("r", LineWidth), Svg.Attr("fill", color)));
                }

                run.Clear();
            }

            foreach (var (px, py) in points)
            {
                if (double.IsFinite(px) && double.IsFinite(py))
                {
                    run.Add($"{Svg.Number(x.Map(px))},{Svg.Number(y.Map(py))}");
                }
                else
                {
                    Flush();
                }
            }

            Flush();
            plot.Add(group);
        }
    }

    private protected override IReadOnlyList<(string Name, string Color)> LegendEntries() =>
        _series.Select(s => (s.Name, s.Color)).ToArray();
}
