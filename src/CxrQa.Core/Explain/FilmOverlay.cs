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
    public static RgbFrame RenderRgb(GrayImage film, CamResult cam, PreprocessingOptions preprocessing, HeatmapRenderOptions? options = null) =>
        throw new NotImplementedException();
}
