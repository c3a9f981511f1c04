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

    /// <summary>Adds a picture, embedded as a PNG data URI.</summary>
    /// <param name="picture">The picture, e.g. from <see cref="Chart.Render"/> or <see cref="ImageGrid.Render"/>.</param>
    /// <param name="altText">What the picture shows, for readers who cannot see it (the <c>alt</c> attribute).</param>
    /// <param name="caption">Optional caption under the picture.</param>
    public HtmlReportSection AddImage(Picture picture, string altText, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentException.ThrowIfNullOrWhiteSpace(altText);
        string data = Convert.ToBase64String(picture.Png.Span);
        string markup = $"<img alt=\"{WebUtility.HtmlEncode(altText)}\" width=\"{picture.Width}\" height=\"{picture.Height}\" " +
                        $"src=\"data:image/png;base64,{data}\">";
        _content.Add(html => Figure(html, markup, caption));
        return this;
    }

    /// <summary>Adds a chart, drawn as a PNG picture.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="altText">What the chart shows, for readers who cannot see it (the <c>alt</c> attribute).</param>
    /// <param name="caption">Optional caption under the chart.</param>
    public HtmlReportSection AddChart(Chart chart, string altText, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return AddImage(chart.Render(), altText, caption);
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
