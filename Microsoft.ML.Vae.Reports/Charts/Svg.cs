using System.Globalization;
using System.Xml.Linq;

namespace Microsoft.ML.Vae.Reports.Charts;

/// <summary>Small helpers to build SVG elements with invariant, compact number formatting.</summary>
internal static class Svg
{
    public static readonly XNamespace Namespace = "http://www.w3.org/2000/svg";

    public static XElement Element(string name, params object?[] content) => new(Namespace + name, content);

    public static XAttribute Attr(string name, double value) => new(name, Number(value));

    public static XAttribute Attr(string name, string value) => new(name, value);

    public static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static XElement Text(double x, double y, string text, string anchor = "middle", double size = 12, string? extra = null)
    {
        var element = Element("text", Attr("x", x), Attr("y", y), Attr("text-anchor", anchor), Attr("font-size", size), text);
        if (extra is not null)
        {
            element.Add(new XAttribute("transform", extra));
        }

        return element;
    }

    public static XElement Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        var line = Element("line", Attr("x1", x1), Attr("y1", y1), Attr("x2", x2), Attr("y2", y2), Attr("stroke", stroke), Attr("stroke-width", width));
        if (dash is not null)
        {
            line.Add(Attr("stroke-dasharray", dash));
        }

        return line;
    }

    public static XElement Rect(double x, double y, double width, double height, string fill) =>
        Element("rect", Attr("x", x), Attr("y", y), Attr("width", Math.Max(0, width)), Attr("height", Math.Max(0, height)), Attr("fill", fill));
}
