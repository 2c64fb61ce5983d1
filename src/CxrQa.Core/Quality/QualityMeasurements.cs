namespace CxrQa.Core.Quality;

/// <summary>The numbers each check of the gate used, returned with the reasons so a reviewer (and the API's
/// "quality" field) can see why a film was or was not flagged.</summary>
/// <param name="MinSidePixels">Shorter side of the stored film (too_small).</param>
/// <param name="ExtremeFraction">Fraction of pixels at black or white (blank_or_saturated).</param>
/// <param name="StandardDeviation">Standard deviation of the gray levels (blank_or_saturated).</param>
/// <param name="LowPercentileLevel">Level at the low percentile (low_contrast).</param>
/// <param name="HighPercentileLevel">Level at the high percentile (low_contrast).</param>
/// <param name="Colourfulness">Mean chroma of the source before conversion to gray (colour_image).</param>
/// <param name="MirrorCorrelation">Best correlation of the thumbnail with its left-right mirror (lateral_view);
/// null when the heuristic is off.</param>
/// <param name="PolarityScore">Mediastinum minus lung fields, in standard deviations of the thumbnail
/// (possibly_inverted); null when the heuristic is off.</param>
public sealed record QualityMeasurements(
    int MinSidePixels,
    double ExtremeFraction,
    double StandardDeviation,
    int LowPercentileLevel,
    int HighPercentileLevel,
    double Colourfulness,
    double? MirrorCorrelation,
    double? PolarityScore)
{
    public int PercentileSpread => HighPercentileLevel - LowPercentileLevel;
}
