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

    /// <summary>zlib level 0..9 for the PNG. Heatmaps are smooth, so fast levels lose little size.</summary>
    public int PngCompressionLevel { get; init; } = 6;
}
