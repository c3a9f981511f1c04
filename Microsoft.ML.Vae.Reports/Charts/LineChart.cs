using ScottPlot;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// A line chart of several series over a shared x axis, e.g. training and validation loss per epoch.
/// A non-finite value breaks its line; when every x is a whole number (epochs), so is every x tick.
/// </summary>
public sealed class LineChart : Chart
{
    private readonly List<(string Name, string Color, (double X, double Y)[] Points)> _series = [];

    /// <summary>Adds a series; its colour is the next palette colour unless <paramref name="color"/> is given.</summary>
    /// <param name="name">Legend text.</param>
    /// <param name="points">The points in drawing order; a non-finite value leaves a gap.</param>
    /// <param name="color">A colour such as <c>#1f77b4</c>.</param>
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

    private protected override void Draw(Plot plot, List<LegendItem> legend)
    {
        foreach (var (name, hex, points) in _series)
        {
            Color color = ToColor(hex);
            foreach (var run in FiniteRuns(points))
            {
                var line = plot.Add.ScatterLine(run.Select(p => p.X).ToArray(), run.Select(p => p.Y).ToArray(), color);
                line.LineWidth = 2;
                // A lone point between gaps would be invisible as a line.
                line.MarkerSize = run.Length == 1 ? 6 : 0;
            }

            legend.Add(new LegendItem { LabelText = name, LineColor = color, LineWidth = 2 });
        }

        if (_series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X)).All(p => p.X == Math.Floor(p.X)))
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
    }

    private static IEnumerable<(double X, double Y)[]> FiniteRuns((double X, double Y)[] points)
    {
        var run = new List<(double X, double Y)>();
        foreach (var point in points)
        {
            if (double.IsFinite(point.X) && double.IsFinite(point.Y))
            {
                run.Add(point);
            }
            else if (run.Count > 0)
            {
                yield return run.ToArray();
                run.Clear();
            }
        }

        if (run.Count > 0)
        {
            yield return run.ToArray();
        }
    }
}
