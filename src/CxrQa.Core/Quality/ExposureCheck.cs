namespace CxrQa.Core.Quality;

/// <summary>blank_or_saturated: (almost) all pixels clipped to black or white, or (almost) one level everywhere.
/// Pure noise is not blank (its spread is large); the out-of-distribution score catches that.</summary>
public static class ExposureCheck
{
    public static bool IsBlankOrSaturated(double extremeFraction, double standardDeviation, QualityGateOptions options) =>
        extremeFraction > options.MaxExtremeFraction || standardDeviation < options.MinStandardDeviation;
}
