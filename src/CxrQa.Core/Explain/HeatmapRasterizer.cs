using System.Runtime.InteropServices;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Explain;

/// <summary>
/// Draws a CAM into RGBA8888 pixel memory (bytes R, G, B, A) at a film's full size, without allocating per pixel.
/// </summary>
/// <remarks>
/// The upsampled value v is quantised to 256 levels and the output pixel is a table lookup on (level, gray), so a
/// pixel costs one interpolation, one quantisation and one load. 256 levels are as fine as the 8-bit output can
/// show of a 7x7 map's smooth gradients.
/// Overlay: <c>out = (1 - a) * gray + a * jet(v)</c> with <c>a = Opacity * v</c> (or <c>Opacity</c>), on 16-bit
/// fixed point, so <c>a = 0</c> gives the gray film exactly. The heatmap-only layer carries the same <c>a</c> in its
/// alpha channel (unpremultiplied), so a page that stacks it over the film shows what the overlay shows.
/// </remarks>
public static class HeatmapRasterizer
{
    private const int Levels = 256;
    private const int FixedOne = 1 << 16;

    /// <summary>The film in gray with the CAM blended over it, opaque. An empty CAM draws the plain film.</summary>
    /// <param name="rgba">At least <c>rowBytes * (film.Height - 1) + film.Width * 4</c> bytes.</param>
    public static void DrawOverlay(GrayImage film, CamResult cam, HeatmapRenderOptions options, Span<byte> rgba, int rowBytes)
    {
        ArgumentNullException.ThrowIfNull(film);
        ArgumentNullException.ThrowIfNull(cam);
        BilinearUpsampler.CheckGrid(cam.Grid, CamResult.Side, CamResult.Side);
        CheckTarget(film.Width, film.Height, rgba, rowBytes);
        var opacity = OpacityTable(options, cam);

        var blended = BlendTable(opacity);
        var width = film.Width;
        var upsampler = new BilinearUpsampler(cam.Grid, CamResult.Side, CamResult.Side, width, film.Height);
        var values = new float[width];
        for (var y = 0; y < film.Height; y++)
        {
            upsampler.WriteRow(y, values);
            var gray = film.Pixels.AsSpan(y * width, width);
            var row = MemoryMarshal.Cast<byte, uint>(rgba.Slice(y * rowBytes, width * 4));
            for (var x = 0; x < row.Length; x++)
                row[x] = blended[Level(values[x]) << 8 | gray[x]];
        }
    }

    /// <summary>The CAM alone as jet colours with alpha = the overlay's opacity (unpremultiplied), for stacking
    /// over the film on a review page. An empty CAM draws a fully transparent layer.</summary>
    public static void DrawHeatmap(int width, int height, CamResult cam, HeatmapRenderOptions options, Span<byte> rgba, int rowBytes)
    {
        ArgumentNullException.ThrowIfNull(cam);
        BilinearUpsampler.CheckGrid(cam.Grid, CamResult.Side, CamResult.Side);
        CheckTarget(width, height, rgba, rowBytes);
        var opacity = OpacityTable(options, cam);

        var colours = new uint[Levels];
        for (var q = 0; q < Levels; q++)
        {
            var (r, g, b) = Colormaps.Jet(q / (double)(Levels - 1));
            var alpha = (int)Math.Round(255.0 * opacity[q]);
            // Fully transparent pixels are stored as zero so the PNG compresses them to nothing.
            colours[q] = alpha == 0 ? 0u : Pack(r, g, b, alpha);
        }

        var upsampler = new BilinearUpsampler(cam.Grid, CamResult.Side, CamResult.Side, width, height);
        var values = new float[width];
        for (var y = 0; y < height; y++)
        {
            upsampler.WriteRow(y, values);
            var row = MemoryMarshal.Cast<byte, uint>(rgba.Slice(y * rowBytes, width * 4));
            for (var x = 0; x < row.Length; x++)
                row[x] = colours[Level(values[x])];
        }
    }

    /// <summary>Every (level, gray) pair's output pixel, index <c>level * 256 + gray</c>: 256 KiB, built in well under a
    /// millisecond, and it turns the per-pixel blend into one load.</summary>
    private static uint[] BlendTable(double[] opacity)
    {
        var table = new uint[Levels * 256];
        for (var q = 0; q < Levels; q++)
        {
            var a = opacity[q];
            var (r, g, b) = Colormaps.Jet(q / (double)(Levels - 1));
            // 16-bit fixed point; + half a unit so the shift rounds to nearest. a = 0 gives the gray exactly.
            var keep = (int)Math.Round((1.0 - a) * FixedOne);
            var addR = (int)Math.Round(a * r * FixedOne) + FixedOne / 2;
            var addG = (int)Math.Round(a * g * FixedOne) + FixedOne / 2;
            var addB = (int)Math.Round(a * b * FixedOne) + FixedOne / 2;
            for (var gray = 0; gray < 256; gray++)
                table[q << 8 | gray] = Pack((gray * keep + addR) >> 16, (gray * keep + addG) >> 16, (gray * keep + addB) >> 16, 255);
        }
        return table;
    }

    /// <summary>Opacity per level; all zero for an empty CAM (nothing to explain, so nothing is tinted).</summary>
    private static double[] OpacityTable(HeatmapRenderOptions options, CamResult cam)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Opacity is >= 0.0 and <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(options), options.Opacity, "Opacity must be in [0, 1]");
        var table = new double[Levels];
        if (cam.Empty)
            return table;
        for (var q = 0; q < Levels; q++)
            table[q] = options.OpacityFollowsValue ? options.Opacity * q / (Levels - 1) : options.Opacity;
        return table;
    }

    private static void CheckTarget(int width, int height, Span<byte> rgba, int rowBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowBytes, width * 4);
        if (rgba.Length < (long)rowBytes * (height - 1) + width * 4L)
            throw new ArgumentException($"{rgba.Length} bytes cannot hold {width} x {height} RGBA pixels at {rowBytes} bytes a row", nameof(rgba));
    }

    /// <summary>R, G, B, A in memory order; the branch is a JIT-time constant.</summary>
    private static uint Pack(int r, int g, int b, int a) => BitConverter.IsLittleEndian
        ? (uint)(r | g << 8 | b << 16 | a << 24)
        : (uint)(a | b << 8 | g << 16 | r << 24);

    /// <summary>v in [0, 1] to a table level; out-of-range values (a hand-made grid) clamp, NaN goes to 0.</summary>
    private static int Level(float v) => Math.Clamp((int)(v * (Levels - 1) + 0.5f), 0, Levels - 1);
}
