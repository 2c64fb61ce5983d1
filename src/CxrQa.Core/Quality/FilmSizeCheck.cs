using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>too_small: too few pixels to show the lung detail the model was trained on. Reads the stored size, not
/// the decoded image, so a resize on the way can never hide it.</summary>
public static class FilmSizeCheck
{
    public static int MinSide(FilmMetadata metadata) => Math.Min(metadata.OriginalWidth, metadata.OriginalHeight);

    public static bool IsTooSmall(int minSidePixels, QualityGateOptions options) => minSidePixels < options.MinSidePixels;
}
