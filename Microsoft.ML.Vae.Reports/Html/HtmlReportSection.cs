using System.Net;
using System.Text;

namespace Microsoft.ML.Vae.Reports;

/// <summary>A titled part of an <see cref="HtmlReport"/>; its content appears in the order it was added.</summary>
public sealed class HtmlReportSection
{
    private readonly List<Action<StringBuilder>> _content = [];

    internal HtmlReportSection(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
    }

    /// <summary>The section's heading.</summary>
    public string Title { get; }

    /// <summary>Adds a paragraph of plain text (HTML-escaped).</summary>
    public HtmlReportSection AddText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _content.Add(html => html.Append("<p>").Append(WebUtility.HtmlEncode(text)).AppendLine("</p>"));
        return this;
    }

    /// <summary>Adds preformatted text, e.g. console output (HTML-escaped).</summary>
    public HtmlReportSection AddPreformatted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _content.Add(html => html.Append("<pre>").Append(WebUtility.HtmlEncode(text)).AppendLine("</pre>"));
        return this;
    }

    /// <summary>Adds an SVG chart inline.</summary>
    /// <param name="svg">An <c>&lt;svg&gt;</c> document, e.g. from <see cref="SvgChart.ToSvg"/>; it is trusted markup.</param>
    /// <param name="caption">Optional caption under the chart.</param>
    public HtmlReportSection AddSvg(string svg, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(svg);
        if (!svg.TrimStart().StartsWith("<svg", StringComparison.Ordinal))
        {
            throw new ArgumentException("Expected markup starting with <svg (no XML declaration).", nameof(svg));
        }

        _content.Add(html => Figure(html, svg, caption));
        return this;
    }

    /// <summary>Adds a chart inline.</summary>
    public HtmlReportSection AddChart(SvgChart chart, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return AddSvg(chart.ToSvg(), caption);
    }

    /// <summary>Adds an image, embedded as a PNG data URI.</summary>
    /// <param name="image">The picture.</param>
    /// <param name="caption">Optional caption under the image.</param>
    /// <param name="displayScale">Shown this many times its pixel size, without smoothing (for small digit grids).</param>
    public HtmlReportSection AddImage(Raster image, string? caption = null, int displayScale = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(displayScale, 1);
        string data = Convert.ToBase64String(PngWriter.Encode(image));
        string markup = $"<img class=\"pixelated\" alt=\"{WebUtility.HtmlEncode(caption ?? "")}\" width=\"{image.Width * displayScale}\" " +
                        $"height=\"{image.Height * displayScale}\" src=\"data:image/png;base64,{data}\">";
        _content.Add(html => Figure(html, markup, caption));
        return this;
    }

    /// <summary>Adds a table (cells HTML-escaped).</summary>
    /// <param name="headers">Column headings.</param>
    /// <param name="rows">Rows of cells; each row as many cells as there are headings.</param>
    public HtmlReportSection AddTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var body = rows.ToArray();
        for (int r = 0; r < body.Length; r++)
        {
            if (body[r].Count != headers.Count)
            {
                throw new ArgumentException($"Row {r} has {body[r].Count} cells; the table has {headers.Count} columns.", nameof(rows));
            }
        }

        _content.Add(html =>
        {
            html.Append("<table><thead><tr>");
            foreach (string header in headers)
            {
                html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
            }

            html.AppendLine("</tr></thead><tbody>");
            foreach (var row in body)
            {
                html.Append("<tr>");
                foreach (string cell in row)
                {
                    html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
                }

                html.AppendLine("</tr>");
            }

            html.AppendLine("</tbody></table>");
        });
        return this;
    }

    internal void WriteTo(StringBuilder html)
    {
        html.AppendLine("<section>");
        html.Append("<h2>").Append(WebUtility.HtmlEncode(Title)).AppendLine("</h2>");
        foreach (var write in _content)
        {
            write(html);
        }

        html.AppendLine("</section>");
    }

    private static void Figure(StringBuilder html, string content, string? caption)
    {
        html.Append("<figure>").Append(content);
        if (caption is not null)
        {
            html.Append("<figcaption>").Append(WebUtility.HtmlEncode(caption)).Append("</figcaption>");
        }

        html.AppendLine("</figure>");
    }
}
