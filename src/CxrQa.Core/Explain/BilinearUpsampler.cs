using System.Numerics;
using System.Runtime.InteropServices;

namespace CxrQa.Core.Explain;

/// <summary>
/// Bilinear resize of a small grid (the 7x7 CAM) to a film's size with OpenCV INTER_LINEAR semantics
/// (pixel-centre alignment, edge clamping, horizontal pass then vertical). x and y scale independently: the network
/// saw the whole film squashed to a square, so the grid covers the whole film whatever its aspect ratio.
/// </summary>
public sealed class BilinearUpsampler
{
    private readonly int _width;
    private readonly LinearResizeAxis _rows;
    // Every grid row already resized along x: gridHeight x width. Each output row is then a blend of two of these,
    // a contiguous vectorisable pass instead of per-pixel index lookups.
    private readonly float[] _wideRows;

    /// <summary>Prepares the resize of <paramref name="grid"/> (row-major) to width x height.</summary>
    public BilinearUpsampler(ReadOnlySpan<float> grid, int gridWidth, int gridHeight, int width, int height)
    {
        CheckGrid(grid, gridWidth, gridHeight);
        var columns = LinearResizeAxis.Create(gridWidth, width);
        _rows = LinearResizeAxis.Create(gridHeight, height);
        _width = width;
        _wideRows = new float[gridHeight * width];
        for (var gy = 0; gy < gridHeight; gy++)
        {
            var source = grid.Slice(gy * gridWidth, gridWidth);
            var wide = _wideRows.AsSpan(gy * width, width);
            for (var x = 0; x < width; x++)
            {
                var left = source[columns.Lower[x]];
                wide[x] = left + (source[columns.Upper[x]] - left) * columns.UpperWeight[x];
            }
        }
    }

    public int Width => _width;

    public int Height => _rows.Lower.Length;

    /// <summary>The whole resized image, row-major (for tests and small outputs; renderers go row by row).</summary>
    public static float[] Upsample(ReadOnlySpan<float> grid, int gridWidth, int gridHeight, int width, int height)
    {
        var upsampler = new BilinearUpsampler(grid, gridWidth, gridHeight, width, height);
        var result = new float[(long)width * height];
        for (var y = 0; y < height; y++)
            upsampler.WriteRow(y, result.AsSpan(y * width, width));
        return result;
    }

    /// <summary>Writes output row <paramref name="y"/> (Width values) into <paramref name="destination"/>.</summary>
    public void WriteRow(int y, Span<float> destination)
    {
        if (destination.Length != _width)
            throw new ArgumentException($"expected {_width} values, got {destination.Length}", nameof(destination));
        ReadOnlySpan<float> above = _wideRows.AsSpan(_rows.Lower[y] * _width, _width);
        ReadOnlySpan<float> below = _wideRows.AsSpan(_rows.Upper[y] * _width, _width);
        var wy = _rows.UpperWeight[y];

        var x = 0;
        if (Vector.IsHardwareAccelerated && _width >= Vector<float>.Count)
        {
            var a = MemoryMarshal.Cast<float, Vector<float>>(above);
            var b = MemoryMarshal.Cast<float, Vector<float>>(below);
            var d = MemoryMarshal.Cast<float, Vector<float>>(destination);
            var weight = new Vector<float>(wy);
            for (var i = 0; i < d.Length; i++)
                d[i] = a[i] + (b[i] - a[i]) * weight;
            x = d.Length * Vector<float>.Count;
        }
        for (; x < destination.Length; x++)
            destination[x] = above[x] + (below[x] - above[x]) * wy;
    }

    internal static void CheckGrid(ReadOnlySpan<float> grid, int gridWidth, int gridHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gridWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gridHeight, 1);
        if (grid.Length != gridWidth * gridHeight)
            throw new ArgumentException($"expected {gridWidth} x {gridHeight} values, got {grid.Length}", nameof(grid));
    }
}
