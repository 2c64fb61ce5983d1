using CxrQa.Core.Dicom.Results;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Explain;

/// <summary>
/// The picture a radiologist sees: the film at its own size, contrast-enhanced with the same CLAHE the network saw,
/// with the Grad-CAM map laid over it. The map covers the whole film because the network saw the whole film squashed.
/// </summary>
public static class FilmOverlay
{
    public static GrayImage DisplayFilm(GrayImage film, PreprocessingOptions preprocessing) =>
        preprocessing.Clahe ? Clahe.Apply(film, preprocessing.ClaheClipLimit, preprocessing.ClaheTiles, preprocessing.ClaheTiles) : film;

    public static byte[] RenderPng(GrayImage film, CamResult cam, PreprocessingOptions preprocessing, HeatmapRenderOptions? options = null) =>
        HeatmapRenderer.RenderOverlayPng(DisplayFilm(film, preprocessing), cam, options);

    /// <summary>The same overlay as <see cref="RenderPng"/>, as raw interleaved RGB at the film's size: the pixels of the
    /// overlay's Secondary Capture object.</summary>
    public static RgbFrame RenderRgb(GrayImage film, CamResult cam, PreprocessingOptions preprocessing, HeatmapRenderOptions? options = null)
    {
        var display = DisplayFilm(film, preprocessing);
        var rgba = new byte[4L * display.Width * display.Height];
        HeatmapRasterizer.DrawOverlay(display, cam, options ?? HeatmapRenderOptions.Default, rgba, display.Width * 4);
        var rgb = new byte[3L * display.Width * display.Height];
        for (long i = 0, j = 0; i < rgba.LongLength; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }
        return new RgbFrame(display.Width, display.Height, rgb);
    }
}
