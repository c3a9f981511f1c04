using System.Net;
using System.Text;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// One self-contained HTML page of titled sections holding text, tables, inline SVG charts and PNG images
/// (embedded as base64 data URIs), so the single file can be mailed or archived as is.
/// </summary>
/// <example>
/// <code>
/// var report = new HtmlReport("MNIST VAE");
/// report.AddSection("Latent map", "Test digits by their latent mean.").AddSvg(chart.ToSvg());
/// report.Save("out/report.html");
/// </code>
/// </example>
public sealed class HtmlReport
{
    private readonly List<HtmlReportSection> _sections = [];

    /// <summary>Creates an empty report.</summary>
    /// <param name="title">Page title and top heading.</param>
    /// <param name="subtitle">Optional line under the heading (e.g. the run's settings).</param>
    public HtmlReport(string title, string? subtitle = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
        Subtitle = subtitle;
    }

    /// <summary>Page title and top heading.</summary>
    public string Title { get; }

    /// <summary>Line under the heading, or null.</summary>
    public string? Subtitle { get; }

    /// <summary>The sections, in page order.</summary>
    public IReadOnlyList<HtmlReportSection> Sections => _sections;

    /// <summary>Appends a section and returns it, to add content to.</summary>
    /// <param name="title">The section's heading.</param>
    /// <param name="description">Optional paragraph under the heading.</param>
    public HtmlReportSection AddSection(string title, string? description = null)
    {
        var section = new HtmlReportSection(title);
        if (description is not null)
        {
            section.AddText(description);
        }

        _sections.Add(section);
        return section;
    }

    /// <summary>Returns the whole page.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\">");
        html.AppendLine("<head>");
        html.AppendLine("<meta charset=\"utf-8\">");
        html.Append("<title>").Append(WebUtility.HtmlEncode(Title)).AppendLine("</title>");
        html.AppendLine("<style>");
        html.AppendLine("body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }");
        html.AppendLine("section { margin-bottom: 2.5em; } figure { display: inline-block; margin: 0.5em 1em 0.5em 0; vertical-align: top; }");
        html.AppendLine("figcaption { font-size: 0.9em; color: #555; } img.pixelated { image-rendering: pixelated; }");
        html.AppendLine("table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }");
        html.AppendLine("th { background: #f3f3f3; } pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }");
        html.AppendLine("</style>");
        html.AppendLine("</head>");
        html.AppendLine("<body>");
        html.Append("<h1>").Append(WebUtility.HtmlEncode(Title)).AppendLine("</h1>");
        if (Subtitle is not null)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(Subtitle)).AppendLine("</p>");
        }

        foreach (var section in _sections)
        {
            section.WriteTo(html);
        }

        html.AppendLine("</body>");
        html.AppendLine("</html>");
        return html.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> (UTF-8, atomically), creating its directory.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportFile.WriteAllText(path, ToHtml());
    }
}
