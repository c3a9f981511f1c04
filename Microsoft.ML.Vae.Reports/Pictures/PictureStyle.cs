using SkiaSharp;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// The one look every picture shares: chart size, font, text sizes and colours, so charts and image grids read
/// alike side by side in a report or a folder.
/// </summary>
internal static class PictureStyle
{
    public const int ChartWidth = 800;
    public const int ChartHeight = 600;

    public const float TitleSize = 20;
    public const float LabelSize = 16;
    public const float TickSize = 13;

    /// <summary>Blank space around the content of an image grid.</summary>
    public const int Margin = 16;

    public static readonly SKColor Background = SKColors.White;
    public static readonly SKColor Text = new(0x22, 0x22, 0x22);

    // Sans-serif families in order of preference; Skia's own default can be a serif face (the first font found).
    private static readonly string[] SansFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Arial", "Helvetica", "Segoe UI"];

    private static readonly Lazy<string> Family = new(() => ChooseFamily(SKFontManager.Default.FontFamilies));

    /// <summary>The font family of every text in every picture.</summary>
    public static string FontFamily => Family.Value;

    /// <summary>The typeface of <see cref="FontFamily"/>, bold or regular.</summary>
    public static SKTypeface Typeface(bool bold) =>
        SKTypeface.FromFamilyName(FontFamily, bold ? SKFontStyle.Bold : SKFontStyle.Normal) ?? SKTypeface.Default;

    /// <summary>The preferred sans-serif family among <paramref name="installed"/>, else the first one.</summary>
    /// <exception cref="InvalidOperationException">No font at all: every title and label would be left out.</exception>
    internal static string ChooseFamily(IEnumerable<string> installed)
    {
        var families = installed.ToList();
        if (families.Count == 0)
        {
            throw new InvalidOperationException(
                "No font found for the pictures' titles and labels (on Linux, SkiaSharp looks under /usr/share/fonts). " +
                "Install one, e.g. Debian's fonts-dejavu-core.");
        }

        var lookup = new HashSet<string>(families, StringComparer.OrdinalIgnoreCase);
        return SansFamilies.FirstOrDefault(lookup.Contains) ?? families[0];
    }
}
