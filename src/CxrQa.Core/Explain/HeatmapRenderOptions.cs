using SkiaSharp;

namespace CxrQa.Core.Explain;

/// <summary>How a CAM is drawn over a film.</summary>
public sealed record HeatmapRenderOptions
{
    public static HeatmapRenderOptions Default { get; } = new();

    /// <summary>Opacity of the colour where the map is at its peak (v = 1).</summary>
    public double Opacity { get; init; } = 0.5;

    /// <summary>
    /// True (default): the colour's opacity is <see cref="Opacity"/> x v, so cold regions show the plain film and the
    /// reader's eye goes to the hot spots. False: a uniform <see cref="Opacity"/>, the classic Grad-CAM figure
    /// that tints the whole film blue.
    /// </summary>
    public bool OpacityFollowsValue { get; init; } = true;

    /// <summary>
    /// zlib level 0..9 for the PNG. Encoding, not drawing, dominates the cost of a big film (a 2000x2000 overlay,
    /// CPU time on the 2-core dev box: ~11 ms to draw, ~45 ms to encode at level 1 with the Up filter, ~220 ms with
    /// Skia's defaults of all filters and level 6), and a film's own noise barely compresses at higher levels, so the
    /// default favours speed.
    /// </summary>
    public int PngCompressionLevel { get; init; } = 1;

    /// <summary>PNG row filters. One fixed filter is several times faster than letting the encoder try all five per
    /// row; Up suits smooth vertical structure (a chest film, an upsampled map) and compressed best of the single
    /// filters on synthetic films.</summary>
    public SKPngEncoderFilterFlags PngFilters { get; init; } = SKPngEncoderFilterFlags.Up;
}
