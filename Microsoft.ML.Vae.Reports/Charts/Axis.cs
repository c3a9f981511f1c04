using System.Globalization;

namespace Microsoft.ML.Vae.Reports.Charts;

/// <summary>
/// One chart axis: a data range widened to "nice" tick values (1, 2 or 5 times a power of ten) and the linear
/// map from data to pixels. For a vertical axis pass the bottom pixel as <c>pixelStart</c>.
/// </summary>
internal sealed class Axis
{
    public Axis(double min, double max, double pixelStart, double pixelEnd, int targetTicks = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            (min, max) = (0, 1);
        }

        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.5;
            (min, max) = (min - pad, max + pad);
        }

        Step = NiceStep((max - min) / Math.Max(1, targetTicks - 1));
        Min = Math.Floor(min / Step) * Step;
        Max = Math.Ceiling(max / Step) * Step;
        PixelStart = pixelStart;
        PixelEnd = pixelEnd;
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    public double PixelStart { get; }

    public double PixelEnd { get; }

    public IEnumerable<double> Ticks
    {
        get
        {
            int count = (int)Math.Round((Max - Min) / Step);
            for (int i = 0; i <= count; i++)
            {
                yield return Min + (i * Step);
            }
        }
    }

    public double Map(double value) => PixelStart + ((value - Min) / (Max - Min) * (PixelEnd - PixelStart));

    public string Format(double value)
    {
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(Step)), 0, 10);
        double rounded = Math.Round(value, decimals);
        return (rounded == 0 ? 0 : rounded).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
