using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// One self-contained HTML page of titled sections holding text, tables and pictures (embedded as PNG data URIs),
/// so the single file can be mailed or archived as is. Under the heading it states when it was written and by which
/// version of the library.
/// </summary>
/// <example>
/// <code>
/// var report = new HtmlReport("MNIST VAE");
/// report.AddSection("Latent map").AddChart(chart, "Scatter of the test digits' latent means, coloured by digit");
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

    /// <summary>When the run that the report describes happened; now by default.</summary>
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The version of Microsoft.ML.Vae that wrote the report, e.g. <c>0.1.0</c>.</summary>
    public static string LibraryVersion { get; } = ReadLibraryVersion();

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
        html.AppendLine("figcaption { font-size: 0.9em; color: #555; max-width: 800px; } img { max-width: 100%; height: auto; }");
        html.AppendLine("p.run { color: #555; }");
        html.AppendLine("table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }");
        html.AppendLine("td:first-child, th:first-child { text-align: left; white-space: pre; }");
        html.AppendLine("th { background: #f3f3f3; } pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }");
        html.AppendLine("</style>");
        html.AppendLine("</head>");
        html.AppendLine("<body>");
        html.Append("<h1>").Append(WebUtility.HtmlEncode(Title)).AppendLine("</h1>");
        if (Subtitle is not null)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(Subtitle)).AppendLine("</p>");
        }

        html.Append("<p class=\"run\">").Append(WebUtility.HtmlEncode(string.Create(CultureInfo.InvariantCulture,
            $"Written {CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by Microsoft.ML.Vae {LibraryVersion}."))).AppendLine("</p>");

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

    private static string ReadLibraryVersion()
    {
        Assembly library = typeof(VaeTransformer).Assembly;
        string? informational = library.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            // Drop the build metadata the SDK appends (+commit).
            int plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return library.GetName().Version?.ToString(3) ?? "unknown";
    }
}
