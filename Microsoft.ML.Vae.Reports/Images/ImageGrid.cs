namespace Microsoft.ML.Vae.Reports;

/// <summary>
/// Tiles many small grayscale images (intensities in [0, 1], row-major, e.g. 28x28 MNIST digits) into one
/// picture, with padding between tiles and optional nearest-neighbour enlargement.
/// </summary>
public static class ImageGrid
{
    /// <summary>Tiles <paramref name="images"/> left to right, top to bottom, <paramref name="columns"/> per row.</summary>
    /// <param name="images">Images of <paramref name="imageWidth"/> x <paramref name="imageHeight"/> values each.</param>
    /// <param name="imageWidth">Width of every image.</param>
    /// <param name="imageHeight">Height of every image.</param>
    /// <param name="columns">Tiles per row of the grid.</param>
    /// <param name="padding">Pixels (before enlargement) around and between tiles.</param>
    /// <param name="scale">Each image pixel becomes a <paramref name="scale"/> x <paramref name="scale"/> block.</param>
    /// <param name="background">Gray level of the padding (255 = white).</param>
    public static Raster Tile(
        IReadOnlyList<float[]> images, int imageWidth, int imageHeight, int columns, int padding = 2, int scale = 1, byte background = 255)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int rows = Math.Max(1, (images.Count + columns - 1) / columns);
        var layout = new List<IReadOnlyList<float[]>>(rows);
        for (int r = 0; r < rows; r++)
        {
            int start = r * columns;
            layout.Add(images.Skip(start).Take(columns).ToArray());
        }

        return TileRows(layout, imageWidth, imageHeight, padding, scale, background);
    }

    /// <summary>
    /// Tiles one row of the picture per list in <paramref name="rows"/> (e.g. originals above their
    /// reconstructions); the picture is as wide as the longest row.
    /// </summary>
    /// <param name="rows">The images of each row of the grid.</param>
    /// <param name="imageWidth">Width of every image.</param>
    /// <param name="imageHeight">Height of every image.</param>
    /// <param name="padding">Pixels (before enlargement) around and between tiles.</param>
    /// <param name="scale">Each image pixel becomes a <paramref name="scale"/> x <paramref name="scale"/> block.</param>
    /// <param name="background">Gray level of the padding (255 = white).</param>
    public static Raster TileRows(
        IReadOnlyList<IReadOnlyList<float[]>> rows, int imageWidth, int imageHeight, int padding = 2, int scale = 1, byte background = 255)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);

        int columns = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(row => row.Count));
        int rowCount = Math.Max(1, rows.Count);
        int cellWidth = (imageWidth + padding) * scale;
        int cellHeight = (imageHeight + padding) * scale;
        var raster = new Raster((columns * cellWidth) + (padding * scale), (rowCount * cellHeight) + (padding * scale), 1, background);

        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < rows[r].Count; c++)
            {
                float[] image = rows[r][c];
                if (image.Length != imageWidth * imageHeight)
                {
                    throw new ArgumentException(
                        $"Image {c} of row {r} has {image.Length} values; expected {imageWidth}x{imageHeight} = {imageWidth * imageHeight}.", nameof(rows));
                }

                Blit(raster, image, imageWidth, imageHeight, (padding * scale) + (c * cellWidth), (padding * scale) + (r * cellHeight), scale);
            }
        }

        return raster;
    }

    private static void Blit(Raster raster, float[] image, int width, int height, int left, int top, int scale)
    {
        Span<byte> pixels = raster.Pixels;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte value = Raster.ToByte(image[(y * width) + x]);
                for (int dy = 0; dy < scale; dy++)
                {
                    pixels.Slice(((top + (y * scale) + dy) * raster.Width) + left + (x * scale), scale).Fill(value);
                }
            }
        }
    }
}
