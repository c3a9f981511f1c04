using ScottPlot;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// A scatter plot with one colour per series and a legend, e.g. a 2-D latent map coloured by digit or by label.
/// </summary>
public sealed class ScatterChart : Chart
{
    private readonly List<(string Name, string Color, (double X, double Y)[] Points)> _series = [];

    /// <summary>Diameter of each point in pixels.</summary>
    public float PointSize { get; set; } = 4;

    /// <summary>Opacity of each point (0..1): below 1, dense regions show through.</summary>
    public double PointOpacity { get; set; } = 0.6;

    /// <summary>Adds a series; its colour is the next palette colour unless <paramref name="color"/> is given.</summary>
    /// <param name="name">Legend text.</param>
    /// <param name="points">The points; non-finite ones are skipped.</param>
    /// <param name="color">A colour such as <c>#1f77b4</c>.</param>
    public ScatterChart AddSeries(string name, IEnumerable<(double X, double Y)> points, string? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(points);
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        _series.Add((name, color ?? ChartPalette.Get(_series.Count), finite));
        return this;
    }

    private protected override void Draw(Plot plot, List<LegendItem> legend)
    {
        foreach (var (name, hex, points) in _series)
        {
            Color color = ToColor(hex);
            if (points.Length > 0)
            {
                var markers = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(),
                    color.WithOpacity(PointOpacity));
                markers.MarkerSize = PointSize;
                markers.MarkerShape = MarkerShape.FilledCircle;
            }

            // Legend swatches larger and opaque than the points, so the colours can be told apart.
            legend.Add(new LegendItem { LabelText = name, MarkerShape = MarkerShape.FilledCircle, MarkerSize = 10, MarkerColor = color });
        }
    }
}
