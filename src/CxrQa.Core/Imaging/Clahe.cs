namespace CxrQa.Core.Imaging;

/// <summary>Contrast-limited adaptive histogram equalisation, reproducing OpenCV's
/// <c>cv2.createCLAHE(clipLimit, (tilesX, tilesY)).apply(img)</c> for 8-bit images level for level, so that a model
/// trained on OpenCV-preprocessed films sees the same input here. The arithmetic (float LUT scale, float
/// interpolation weights, round-half-to-even) follows OpenCV's on purpose; do not "simplify" it.</summary>
public static class Clahe
{
    private const int Levels = 256;

    public static GrayImage Apply(GrayImage image, double clipLimit = 2.0, int tilesX = 8, int tilesY = 8)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(tilesX, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tilesY, 1);

        var grid = TileGrid.For(image.Width, image.Height, tilesX, tilesY);
        var tileArea = grid.TileWidth * grid.TileHeight;
        // OpenCV computes the clip in double and truncates; a non-positive limit disables clipping.
        var clip = clipLimit > 0 ? Math.Max((int)(clipLimit * tileArea / Levels), 1) : 0;
        var lutScale = (float)(Levels - 1) / tileArea;

        var luts = new byte[tilesX * tilesY * Levels];
        var histogram = new int[Levels];
        for (var ty = 0; ty < tilesY; ty++)
        for (var tx = 0; tx < tilesX; tx++)
        {
            FillHistogram(image, grid, tx, ty, histogram);
            if (clip > 0)
                ClipAndRedistribute(histogram, clip);
            WriteLut(histogram, lutScale, luts.AsSpan((ty * tilesX + tx) * Levels, Levels));
        }
        return Interpolate(image, grid, luts);
    }

    /// <summary>Histogram of one tile of the (virtually) padded image. Padding is BORDER_REFLECT_101 on the right
    /// and bottom, as OpenCV pads when the size is not a multiple of the grid.</summary>
    private static void FillHistogram(GrayImage image, TileGrid grid, int tx, int ty, int[] histogram)
    {
        Array.Clear(histogram);
        var pixels = image.Pixels;
        var x0 = tx * grid.TileWidth;
        var y0 = ty * grid.TileHeight;
        for (var py = y0; py < y0 + grid.TileHeight; py++)
        {
            var rowStart = grid.SourceRow[py] * image.Width;
            if (x0 + grid.TileWidth <= image.Width)
            {
                foreach (var level in pixels.AsSpan(rowStart + x0, grid.TileWidth))
                    histogram[level]++;
            }
            else
            {
                for (var px = x0; px < x0 + grid.TileWidth; px++)
                    histogram[pixels[rowStart + grid.SourceColumn[px]]]++;
            }
        }
    }

    /// <summary>Caps every bin at <paramref name="clip"/> and hands the excess back: an equal share to every bin,
    /// then the remainder one at a time to bins spaced evenly from the darkest.</summary>
    private static void ClipAndRedistribute(int[] histogram, int clip)
    {
        var clipped = 0;
        for (var i = 0; i < Levels; i++)
        {
            if (histogram[i] > clip)
            {
                clipped += histogram[i] - clip;
                histogram[i] = clip;
            }
        }
        var share = clipped / Levels;
        var residual = clipped - share * Levels;
        for (var i = 0; i < Levels; i++)
            histogram[i] += share;
        if (residual > 0)
        {
            var step = Math.Max(Levels / residual, 1);
            for (var i = 0; i < Levels && residual > 0; i += step, residual--)
                histogram[i]++;
        }
    }

    private static void WriteLut(int[] histogram, float lutScale, Span<byte> lut)
    {
        var cumulative = 0;
        for (var i = 0; i < Levels; i++)
        {
            cumulative += histogram[i];
            lut[i] = RoundToLevel(cumulative * lutScale);
        }
    }

    /// <summary>Maps each pixel through the LUTs of the four tiles whose centres surround it, bilinearly weighted;
    /// pixels beyond the outermost centres use the nearest tile(s) only.</summary>
    private static GrayImage Interpolate(GrayImage image, TileGrid grid, byte[] luts)
    {
        int width = image.Width, height = image.Height;
        var left = new int[width];
        var right = new int[width];
        var rightWeight = new float[width];
        var leftWeight = new float[width];
        var inverseTileWidth = 1.0f / grid.TileWidth;
        for (var x = 0; x < width; x++)
        {
            var txf = x * inverseTileWidth - 0.5f;
            var tx1 = (int)MathF.Floor(txf);
            rightWeight[x] = txf - tx1;
            leftWeight[x] = 1.0f - rightWeight[x];
            left[x] = Math.Max(tx1, 0) * Levels;
            right[x] = Math.Min(tx1 + 1, grid.TilesX - 1) * Levels;
        }

        var output = new byte[width * height];
        var pixels = image.Pixels;
        var inverseTileHeight = 1.0f / grid.TileHeight;
        for (var y = 0; y < height; y++)
        {
            var tyf = y * inverseTileHeight - 0.5f;
            var ty1 = (int)MathF.Floor(tyf);
            var lowerWeight = tyf - ty1;
            var upperWeight = 1.0f - lowerWeight;
            var upper = luts.AsSpan(Math.Max(ty1, 0) * grid.TilesX * Levels, grid.TilesX * Levels);
            var lower = luts.AsSpan(Math.Min(ty1 + 1, grid.TilesY - 1) * grid.TilesX * Levels, grid.TilesX * Levels);
            var srcRow = pixels.AsSpan(y * width, width);
            var dstRow = output.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                var level = srcRow[x];
                int i1 = left[x] + level, i2 = right[x] + level;
                var value = (upper[i1] * leftWeight[x] + upper[i2] * rightWeight[x]) * upperWeight
                          + (lower[i1] * leftWeight[x] + lower[i2] * rightWeight[x]) * lowerWeight;
                dstRow[x] = RoundToLevel(value);
            }
        }
        return new GrayImage(width, height, output);
    }

    /// <summary>OpenCV's saturate_cast from float: round half to even, then clamp.</summary>
    private static byte RoundToLevel(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);

    /// <summary>Tile geometry. When a side is not a multiple of the grid OpenCV pads the image for the histograms
    /// (by tiles - size % tiles on BOTH sides, even one that was already a multiple) and derives the tile size
    /// from the padded size; the interpolation still runs over the original pixels only.</summary>
    private sealed class TileGrid
    {
        public required int TilesX { get; init; }
        public required int TilesY { get; init; }
        public required int TileWidth { get; init; }
        public required int TileHeight { get; init; }
        /// <summary>Source column (row) of each padded column (row).</summary>
        public required int[] SourceColumn { get; init; }
        public required int[] SourceRow { get; init; }

        public static TileGrid For(int width, int height, int tilesX, int tilesY)
        {
            var divisible = width % tilesX == 0 && height % tilesY == 0;
            var paddedWidth = divisible ? width : width + tilesX - width % tilesX;
            var paddedHeight = divisible ? height : height + tilesY - height % tilesY;
            return new TileGrid
            {
                TilesX = tilesX,
                TilesY = tilesY,
                TileWidth = paddedWidth / tilesX,
                TileHeight = paddedHeight / tilesY,
                SourceColumn = ReflectedIndices(paddedWidth, width),
                SourceRow = ReflectedIndices(paddedHeight, height),
            };
        }

        /// <summary>BORDER_REFLECT_101 (…dcb|abcd|cba…), repeated for pads longer than the image.</summary>
        private static int[] ReflectedIndices(int paddedLength, int length)
        {
            var map = new int[paddedLength];
            for (var i = 0; i < paddedLength; i++)
            {
                var p = i;
                if (length == 1)
                    p = 0;
                while (p < 0 || p >= length)
                    p = p < 0 ? -p : 2 * length - p - 2;
                map[i] = p;
            }
            return map;
        }
    }
}
