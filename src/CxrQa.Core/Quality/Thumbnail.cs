using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>The small square the content heuristics look at. Squashed like the network input, so a full-resolution
/// film and a 224-px training film of the same chest give the same numbers; area averaging also removes the noise
/// and JPEG texture the heuristics should not react to.</summary>
public static class Thumbnail
{
    public static GrayImage Of(GrayImage image, int size) => AreaResize.Resize(image, size, size);
}
