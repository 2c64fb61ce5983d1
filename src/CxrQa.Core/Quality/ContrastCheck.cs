namespace CxrQa.Core.Quality;

/// <summary>low_contrast: the bulk of the film (between the low and high percentiles) spans too few levels to tell
/// lung from soft tissue. Percentiles ignore the few clipped pixels of labels and markers that would fool a min-max.</summary>
public static class ContrastCheck
{
    public static bool IsLowContrast(int percentileSpread, QualityGateOptions options) =>
        percentileSpread < options.MinPercentileSpread;
}
