using ScottPlot;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// What every chart shares: a title, labelled axes and a legend beside the plot, drawn by ScottPlot in the
/// pictures' one size and style (<see cref="Width"/> x <see cref="Height"/> pixels).
/// </summary>
public abstract class Chart
{
    private protected Chart()
    {
    }

    /// <summary>Width of every chart in pixels.</summary>
    public const int Width = PictureStyle.ChartWidth;

    /// <summary>Height of every chart in pixels.</summary>
    public const int Height = PictureStyle.ChartHeight;

    /// <summary>Title drawn above the plot.</summary>
    public string Title { get; set; } = "";

    /// <summary>Label of the horizontal axis.</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Label of the vertical axis.</summary>
    public string YLabel { get; set; } = "";

    /// <summary>Draws the chart.</summary>
    public Picture Render()
    {
        using var plot = new Plot();
        var legend = new List<LegendItem>();
        Draw(plot, legend);
        Style(plot, legend);
        return new Picture(plot.GetImageBytes(Width, Height, ImageFormat.Png), Width, Height);
    }

    /// <summary>Draws the chart and writes it as a PNG file, atomically, creating its folder.</summary>
    public void Save(string path) => Render().Save(path);

    /// <summary>Adds the data to <paramref name="plot"/> and one entry per series to <paramref name="legend"/>.</summary>
    private protected abstract void Draw(Plot plot, List<LegendItem> legend);

    /// <summary>A palette colour (<c>#rrggbb</c>) as ScottPlot's colour.</summary>
    private protected static Color ToColor(string hex) => Color.FromHex(hex);

    private void Style(Plot plot, List<LegendItem> legend)
    {
        string font = PictureStyle.FontFamily;
        var text = new Color(PictureStyle.Text.Red, PictureStyle.Text.Green, PictureStyle.Text.Blue);

        plot.Axes.Title.Label.Text = Title;
        plot.Axes.Title.Label.FontName = font;
        plot.Axes.Title.Label.FontSize = PictureStyle.TitleSize;
        plot.Axes.Title.Label.Bold = true;
        plot.Axes.Title.Label.ForeColor = text;
        plot.XLabel(XLabel);
        plot.YLabel(YLabel);
        // ScottPlot's default labels every fifth of an inch on a tall axis: half as many read easier.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TickDensity = 0.5 };
        foreach (var axis in new ScottPlot.IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.Label.FontName = font;
            axis.Label.FontSize = PictureStyle.LabelSize;
            axis.Label.Bold = false;
            axis.Label.ForeColor = text;
            axis.TickLabelStyle.FontName = font;
            axis.TickLabelStyle.FontSize = PictureStyle.TickSize;
            axis.TickLabelStyle.ForeColor = text;
        }

        if (legend.Count > 0)
        {
            // Beside the plot, so it never hides data.
            plot.Legend.ManualItems.AddRange(legend);
            plot.Legend.DisplayPlottableLegendItems = false;
            plot.Legend.FontName = font;
            plot.Legend.FontSize = PictureStyle.TickSize;
            plot.Legend.FontColor = text;
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            plot.HideLegend();
        }
    }
}
