using CxrQa.Core.Imaging;
using SkiaSharp;

namespace CxrQa.Core.Explain;

/// <summary>PNG pictures of a CAM at the original film's size.</summary>
/// <remarks>The renderer draws the gray film it is given: pass the display film (decoded, VOI applied, contrast
/// enhanced if the review page wants that), not the 224x224 network input.</remarks>
public static class HeatmapRenderer
{
    /// <summary>The film with the CAM blended over it (opaque PNG, film.Width x film.Height).</summary>
    public static byte[] RenderOverlayPng(GrayImage film, CamResult cam, HeatmapRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(film);
        options ??= HeatmapRenderOptions.Default;
        using var bitmap = new SKBitmap(new SKImageInfo(film.Width, film.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        HeatmapRasterizer.DrawOverlay(film, cam, options, bitmap.GetPixelSpan(), bitmap.RowBytes);
        return EncodePng(bitmap, options);
    }

    /// <summary>The CAM alone, transparent where cold (RGBA PNG, width x height), for a review page to stack over
    /// the film.</summary>
    public static byte[] RenderHeatmapOnlyPng(int width, int height, CamResult cam, HeatmapRenderOptions? options = null)
    {
        options ??= HeatmapRenderOptions.Default;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        HeatmapRasterizer.DrawHeatmap(width, height, cam, options, bitmap.GetPixelSpan(), bitmap.RowBytes);
        return EncodePng(bitmap, options);
    }

    internal static byte[] EncodePng(SKBitmap bitmap, HeatmapRenderOptions options)
    {
        if (options.PngCompressionLevel is < 0 or > 9)
            throw new ArgumentOutOfRangeException(nameof(options), options.PngCompressionLevel, "PngCompressionLevel must be 0..9");
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(options.PngFilters, options.PngCompressionLevel))
            ?? throw new InvalidOperationException("Skia could not encode the heatmap as PNG");
        return data.ToArray();
    }
}
