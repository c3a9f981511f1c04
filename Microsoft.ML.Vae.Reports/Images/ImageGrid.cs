using SkiaSharp;

namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// Tiles small grayscale images (intensities in [0, 1], row-major, e.g. 28x28 MNIST digits; 0 is black) into one
/// labelled picture: a title above, an optional label left of each row, optional labels under each column and
/// names for both directions, in the same font and colours as the charts.
/// </summary>
/// <example>
/// <code>
/// var grid = new ImageGrid(28, 28) { Title = "Test digits and their reconstructions" };
/// grid.AddRow(originals, "original").AddRow(reconstructions, "reconstruction");
/// grid.Save("out/reconstructions.png");
/// </code>
/// </example>
public sealed class ImageGrid
{
    private readonly List<(IReadOnlyList<float[]> Images, string? Label)> _rows = [];

    /// <summary>Creates an empty grid of images of one size.</summary>
    /// <param name="imageWidth">Width of every image, in values.</param>
    /// <param name="imageHeight">Height of every image, in values.</param>
    public ImageGrid(int imageWidth, int imageHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
    }

    /// <summary>Width of every image, in values.</summary>
    public int ImageWidth { get; }

    /// <summary>Height of every image, in values.</summary>
    public int ImageHeight { get; }

    /// <summary>Title drawn above the grid.</summary>
    public string Title { get; set; } = "";

    /// <summary>Name of the horizontal direction, under the column labels (e.g. "z1").</summary>
    public string XLabel { get; set; } = "";

    /// <summary>Name of the vertical direction, left of the row labels (e.g. "z2").</summary>
    public string YLabel { get; set; } = "";

    /// <summary>One label under each column (e.g. its latent coordinate), or null for none.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; set; }

    /// <summary>Displayed width of each image in pixels (the height keeps the aspect ratio); two pixels per value by default.</summary>
    public int TileWidth { get; set; }

    /// <summary>Pixels of white between neighbouring images.</summary>
    public int Gap { get; set; } = 2;

    /// <summary>The rows added so far.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Appends one row of images, with an optional label written left of it.</summary>
    public ImageGrid AddRow(IReadOnlyList<float[]> images, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        for (int c = 0; c < images.Count; c++)
        {
            if (images[c]?.Length != ImageWidth * ImageHeight)
            {
                throw new ArgumentException(
                    $"Image {c} of row {_rows.Count} has {images[c]?.Length ?? 0} values; expected {ImageWidth}x{ImageHeight} = {ImageWidth * ImageHeight}.",
                    nameof(images));
            }
        }

        _rows.Add((images.ToArray(), label));
        return this;
    }

    /// <summary>Appends <paramref name="images"/> left to right, top to bottom, <paramref name="columns"/> per row.</summary>
    public ImageGrid AddRows(IReadOnlyList<float[]> images, int columns)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        for (int start = 0; start < images.Count; start += columns)
        {
            AddRow(images.Skip(start).Take(columns).ToArray());
        }

        return this;
    }

    /// <summary>Draws the grid.</summary>
    public Picture Render()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Gap);
        int tileWidth = TileWidth > 0 ? TileWidth : 2 * ImageWidth;
        int tileHeight = Math.Max(1, (int)Math.Round((double)tileWidth * ImageHeight / ImageWidth));
        int columns = Math.Max(1, _rows.Count == 0 ? 1 : _rows.Max(row => row.Images.Count));
        int rows = Math.Max(1, _rows.Count);
        if (ColumnLabels is { } labels && labels.Count > columns)
        {
            columns = labels.Count;
        }

        using var titleFont = Font(PictureStyle.TitleSize, bold: true);
        using var labelFont = Font(PictureStyle.LabelSize, bold: false);
        using var tickFont = Font(PictureStyle.TickSize, bold: false);

        // Bands around the grid, each present only when it has text.
        int titleBand = Title.Length > 0 ? Band(PictureStyle.TitleSize) : 0;
        int yLabelBand = YLabel.Length > 0 ? Band(PictureStyle.LabelSize) : 0;
        int rowLabelBand = _rows.Any(r => !string.IsNullOrEmpty(r.Label))
            ? (int)Math.Ceiling(_rows.Max(r => tickFont.MeasureText(r.Label ?? ""))) + 10
            : 0;
        int columnLabelBand = ColumnLabels is { Count: > 0 } ? Band(PictureStyle.TickSize) : 0;
        int xLabelBand = XLabel.Length > 0 ? Band(PictureStyle.LabelSize) : 0;

        int gridWidth = (columns * tileWidth) + ((columns - 1) * Gap);
        int gridHeight = (rows * tileHeight) + ((rows - 1) * Gap);
        int gridLeft = PictureStyle.Margin + yLabelBand + rowLabelBand;
        int gridTop = PictureStyle.Margin + titleBand;
        // The title may be wider than a narrow grid.
        int contentWidth = Math.Max(gridLeft + gridWidth, PictureStyle.Margin + (int)Math.Ceiling(titleFont.MeasureText(Title)));
        int width = contentWidth + PictureStyle.Margin;
        int height = gridTop + gridHeight + columnLabelBand + xLabelBand + PictureStyle.Margin;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not create a {width}x{height} picture.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(PictureStyle.Background);
        using var textPaint = new SKPaint { Color = PictureStyle.Text, IsAntialias = true };
        float gridCentre = gridLeft + (gridWidth / 2f);

        if (titleBand > 0)
        {
            float x = Math.Clamp(gridCentre, PictureStyle.Margin + (titleFont.MeasureText(Title) / 2), width - PictureStyle.Margin - (titleFont.MeasureText(Title) / 2));
            canvas.DrawText(Title, x, PictureStyle.Margin + PictureStyle.TitleSize, SKTextAlign.Center, titleFont, textPaint);
        }

        var sampling = tileWidth % ImageWidth == 0 ? new SKSamplingOptions(SKFilterMode.Nearest) : new SKSamplingOptions(SKFilterMode.Linear);
        for (int r = 0; r < _rows.Count; r++)
        {
            int top = gridTop + (r * (tileHeight + Gap));
            for (int c = 0; c < _rows[r].Images.Count; c++)
            {
                int left = gridLeft + (c * (tileWidth + Gap));
                using var image = Gray(_rows[r].Images[c]);
                canvas.DrawImage(image, SKRect.Create(left, top, tileWidth, tileHeight), sampling);
            }

            if (!string.IsNullOrEmpty(_rows[r].Label))
            {
                canvas.DrawText(_rows[r].Label, gridLeft - 8, top + (tileHeight / 2f) + (PictureStyle.TickSize / 3), SKTextAlign.Right, tickFont, textPaint);
            }
        }

        if (ColumnLabels is { Count: > 0 } columnLabels)
        {
            float baseline = gridTop + gridHeight + PictureStyle.TickSize + 4;
            for (int c = 0; c < columnLabels.Count; c++)
            {
                float centre = gridLeft + (c * (tileWidth + Gap)) + (tileWidth / 2f);
                canvas.DrawText(columnLabels[c], centre, baseline, SKTextAlign.Center, tickFont, textPaint);
            }
        }

        if (xLabelBand > 0)
        {
            canvas.DrawText(XLabel, gridCentre, gridTop + gridHeight + columnLabelBand + PictureStyle.LabelSize + 4, SKTextAlign.Center, labelFont, textPaint);
        }

        if (yLabelBand > 0)
        {
            float x = PictureStyle.Margin + PictureStyle.LabelSize;
            float y = gridTop + (gridHeight / 2f);
            canvas.Save();
            canvas.RotateDegrees(-90, x, y);
            canvas.DrawText(YLabel, x, y, SKTextAlign.Center, labelFont, textPaint);
            canvas.Restore();
        }

        using SKImage snapshot = surface.Snapshot();
        using SKData png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return new Picture(png.ToArray(), width, height);
    }

    /// <summary>Draws the grid and writes it as a PNG file, atomically, creating its folder.</summary>
    public void Save(string path) => Render().Save(path);

    private static int Band(float textSize) => (int)Math.Ceiling(textSize * 1.8);

    private static SKFont Font(float size, bool bold) => new(PictureStyle.Typeface(bold), size) { Subpixel = true };

    // One value per pixel: 0 black, 1 white, clamped; NaN shows as black.
    private SKImage Gray(float[] values)
    {
        var pixels = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            pixels[i] = float.IsNaN(values[i]) ? (byte)0 : (byte)Math.Round(Math.Clamp(values[i], 0f, 1f) * 255f);
        }

        var info = new SKImageInfo(ImageWidth, ImageHeight, SKColorType.Gray8, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, pixels, ImageWidth)
            ?? throw new InvalidOperationException("Skia could not copy the image's pixels.");
    }
}
