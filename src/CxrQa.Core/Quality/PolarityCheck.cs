namespace CxrQa.Core.Quality;

/// <summary>possibly_inverted: the film looks like a negative (air white), e.g. a MONOCHROME2 film mislabelled
/// MONOCHROME1 or an inverted screenshot. Judged from the content only: the header is exactly what may be wrong.</summary>
public static class PolarityCheck
{
    public static bool LooksInverted(double? polarityScore, QualityGateOptions options) =>
        polarityScore is { } s && s < options.MinPolarityScore;
}
