using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.ML.Vae.Cli.Commands;

namespace Microsoft.ML.Vae.Cli.Reporting;

/// <summary>
/// A self-contained HTML report with hand-written inline SVG: loss curves, score histogram with the threshold, latent
/// scatter. Stand-in until the Microsoft.ML.Vae.Reports library lands in main; then this file should delegate to it.
/// </summary>
internal static class InlineSvgReport
{
    private const int Width = 640, Height = 320, Margin = 48, Left = 72;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];

    public static string Render(ReportData data)
    {
        VaeTransformer model = data.Model;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>VAE report: ")
            .Append(Encode(Path.GetFileName(data.ModelPath))).Append("</title>\n<style>body{font-family:sans-serif;max-width:720px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}svg{background:#fafafa}</style></head><body>\n");
        html.Append("<h1>VAE report</h1>\n<table>");
        Row(html, "Model", data.ModelPath);
        Row(html, "Architecture", ModelDescription.Architecture(model));
        Row(html, "Threshold", TrainCommand.Format(model.Threshold));
        Row(html, "Training rows", model.TrainingSummary.TrainingRowCount.ToString(CultureInfo.InvariantCulture));
        foreach ((string flag, string value) in ModelDescription.Options(model.Options))
        {
            Row(html, flag, value);
        }

        html.Append("</table>\n<h2>Loss curves</h2>\n");
        IReadOnlyList<VaeEpochReport> history = model.TrainingSummary.History;
        var series = new List<(string, double[])>
        {
            ("loss", [.. history.Select(h => (double)h.Loss)]),
            ("reconstruction", [.. history.Select(h => (double)h.ReconstructionLoss)]),
            ("KL", [.. history.Select(h => (double)h.KlDivergence)]),
        };
        if (history.Any(h => !float.IsNaN(h.ValidationLoss)))
        {
            series.Add(("validation", [.. history.Select(h => (double)h.ValidationLoss)]));
        }

        html.Append(history.Count == 0 ? "<p>No training history stored.</p>" : LineChart(series, "epoch", "loss"));

        if (data.Scores is { Length: > 0 } scores)
        {
            html.Append("<h2>Scores of ").Append(Encode(data.InputPath ?? "input")).Append("</h2>\n")
                .Append(Histogram(scores, model.Threshold));
        }
        else
        {
            html.Append("<p>Run with --input to add the score histogram and the latent scatter.</p>\n");
        }

        if (data.LatentSample is { Count: > 0 } points)
        {
            html.Append("<h2>Latent space</h2>\n").Append(Scatter(points, model.LatentDimension));
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>");

    internal static string LineChart(IReadOnlyList<(string Name, double[] Values)> series, string xLabel, string yLabel)
    {
        double[] all = [.. series.SelectMany(s => s.Values).Where(double.IsFinite)];
        int count = series.Max(s => s.Values.Length);
        var plot = new Plot(1, Math.Max(count, 2), all.Length == 0 ? 0 : all.Min(), all.Length == 0 ? 1 : all.Max());
        var svg = plot.Open(xLabel, yLabel);
        for (int s = 0; s < series.Count; s++)
        {
            var points = series[s].Values.Select((v, i) => (X: i + 1.0, Y: v)).Where(p => double.IsFinite(p.Y))
                .Select(p => F(plot.X(p.X)) + "," + F(plot.Y(p.Y)));
            svg.Append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").Append(Palette[s % Palette.Length])
                .Append("\" points=\"").Append(string.Join(' ', points)).Append("\"/>");
            // Legend in one row above the plot, clear of the lines.
            svg.Append("<text x=\"").Append(Left + 110 * s).Append("\" y=\"").Append(Margin - 26).Append("\" fill=\"")
                .Append(Palette[s % Palette.Length]).Append("\" font-size=\"12\">").Append(Encode(series[s].Name)).Append("</text>");
        }

        return svg.Append("</svg>\n").ToString();
    }

    internal static string Histogram(ReadOnlySpan<float> scores, float threshold, int bins = 40)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (float s in scores)
        {
            min = Math.Min(min, s);
            max = Math.Max(max, s);
        }

        min = Math.Min(min, threshold);
        max = Math.Max(max, threshold);
        double width = Math.Max(max - min, 1e-12) / bins;
        var counts = new long[bins];
        foreach (float s in scores)
        {
            counts[Math.Clamp((int)((s - min) / width), 0, bins - 1)]++;
        }

        var plot = new Plot(min, max, 0, counts.Max());
        var svg = plot.Open("score", "rows");
        for (int b = 0; b < bins; b++)
        {
            double x0 = plot.X(min + b * width), x1 = plot.X(min + (b + 1) * width), y = plot.Y(counts[b]);
            svg.Append("<rect fill=\"").Append(Palette[0]).Append("\" x=\"").Append(F(x0)).Append("\" y=\"").Append(F(y))
                .Append("\" width=\"").Append(F(Math.Max(x1 - x0 - 1, 0.5))).Append("\" height=\"").Append(F(plot.Y(0) - y)).Append("\"/>");
        }

        double tx = plot.X(threshold);
        svg.Append("<line stroke=\"").Append(Palette[3]).Append("\" stroke-width=\"2\" stroke-dasharray=\"4 3\" x1=\"").Append(F(tx)).Append("\" x2=\"").Append(F(tx))
            .Append("\" y1=\"").Append(Margin).Append("\" y2=\"").Append(Height - Margin).Append("\"/>")
            .Append("<text x=\"").Append(F(tx + 4)).Append("\" y=\"").Append(Margin + 12).Append("\" font-size=\"12\" fill=\"").Append(Palette[3])
            .Append("\">threshold ").Append(Encode(TrainCommand.Format(threshold))).Append("</text>");
        return svg.Append("</svg>\n").ToString();
    }

    internal static string Scatter(IReadOnlyList<(float X, float Y, bool Anomaly)> points, int latentDimension)
    {
        bool oneDimension = latentDimension < 2;
        var plot = new Plot(points.Min(p => p.X), points.Max(p => p.X), oneDimension ? 0 : points.Min(p => p.Y), oneDimension ? 1 : points.Max(p => p.Y));
        var svg = plot.Open("LatentMean_0", oneDimension ? "" : "LatentMean_1");
        foreach ((float x, float y, bool anomaly) in points)
        {
            svg.Append("<circle r=\"2\" fill=\"").Append(anomaly ? Palette[3] : Palette[0]).Append("\" fill-opacity=\"0.6\" cx=\"").Append(F(plot.X(x)))
                .Append("\" cy=\"").Append(F(plot.Y(oneDimension ? 0.5 : y))).Append("\"/>");
        }

        return svg.Append("</svg>\n<p>Blue: predicted normal; red: predicted anomaly.</p>\n").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Maps data coordinates to the SVG box and draws the axes with their extreme values.</summary>
    private sealed class Plot(double xMin, double xMax, double yMin, double yMax)
    {
        private readonly double _xMax = xMax > xMin ? xMax : xMin + 1;
        private readonly double _yMax = yMax > yMin ? yMax : yMin + 1;

        public double X(double x) => Left + (x - xMin) / (_xMax - xMin) * (Width - Left - Margin);

        public double Y(double y) => Height - Margin - (y - yMin) / (_yMax - yMin) * (Height - 2 * Margin);

        public StringBuilder Open(string xLabel, string yLabel)
        {
            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<line stroke=\"#444\" x1=\"{Left}\" y1=\"{Height - Margin}\" x2=\"{Width - Margin}\" y2=\"{Height - Margin}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line stroke=\"#444\" x1=\"{Left}\" y1=\"{Margin}\" x2=\"{Left}\" y2=\"{Height - Margin}\"/>");
            Label(svg, Left, Height - Margin + 16, G(xMin), "start");
            Label(svg, Width - Margin, Height - Margin + 16, G(_xMax), "end");
            Label(svg, Left - 4, Height - Margin, G(yMin), "end");
            Label(svg, Left - 4, Margin + 4, G(_yMax), "end");
            Label(svg, Width / 2, Height - 8, xLabel, "middle");
            Label(svg, 12, Margin - 12, yLabel, "start");
            return svg;
        }

        private static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

        private static void Label(StringBuilder svg, double x, double y, string text, string anchor) =>
            svg.Append("<text font-size=\"11\" text-anchor=\"").Append(anchor).Append("\" x=\"").Append(F(x)).Append("\" y=\"").Append(F(y)).Append("\">")
                .Append(Encode(text)).Append("</text>");
    }
}
