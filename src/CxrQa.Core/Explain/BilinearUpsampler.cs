namespace CxrQa.Core.Explain;

/// <summary>
/// Bilinear resize of a small grid (the 7x7 CAM) to a film's size with OpenCV INTER_LINEAR semantics
/// (pixel-centre alignment, edge clamping). x and y scale independently: the network saw the whole film squashed
/// to a square, so the grid covers the whole film whatever its aspect ratio.
/// </summary>
public static class BilinearUpsampler
{
    /// <summary>The whole resized image, row-major (for tests and small outputs; renderers go row by row).</summary>
    public static float[] Upsample(ReadOnlySpan<float> grid, int gridWidth, int gridHeight, int width, int height)
    {
        CheckGrid(grid, gridWidth, gridHeight);
        var columns = LinearResizeAxis.Create(gridWidth, width);
        var rows = LinearResizeAxis.Create(gridHeight, height);
        var result = new float[(long)width * height];
        Span<float> gridRow = stackalloc float[gridWidth];
        for (var y = 0; y < height; y++)
            UpsampleRow(grid, gridWidth, columns, rows, y, gridRow, result.AsSpan(y * width, width));
        return result;
    }

    /// <summary>One destination row: interpolate the two grid rows around it, then along x with the precomputed
    /// column weights. <paramref name="gridRowScratch"/> holds gridWidth floats.</summary>
    internal static void UpsampleRow(
        ReadOnlySpan<float> grid, int gridWidth, LinearResizeAxis columns, LinearResizeAxis rows, int y,
        Span<float> gridRowScratch, Span<float> destination)
    {
        var above = grid.Slice(rows.Lower[y] * gridWidth, gridWidth);
        var below = grid.Slice(rows.Upper[y] * gridWidth, gridWidth);
        var wy = rows.UpperWeight[y];
        for (var gx = 0; gx < gridWidth; gx++)
            gridRowScratch[gx] = above[gx] + (below[gx] - above[gx]) * wy;

        var lower = columns.Lower;
        var upper = columns.Upper;
        var wx = columns.UpperWeight;
        for (var x = 0; x < destination.Length; x++)
        {
            var left = gridRowScratch[lower[x]];
            destination[x] = left + (gridRowScratch[upper[x]] - left) * wx[x];
        }
    }

    internal static void CheckGrid(ReadOnlySpan<float> grid, int gridWidth, int gridHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gridWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gridHeight, 1);
        if (grid.Length != gridWidth * gridHeight)
            throw new ArgumentException($"expected {gridWidth} x {gridHeight} values, got {grid.Length}", nameof(grid));
    }
}
