namespace CxrQa.Core.Imaging;

/// <summary>A film decoded to display-ready 8-bit gray (VOI applied, MONOCHROME1 inverted), at its stored size unless
/// the caller asked for a reduced decode (<see cref="DecodeOptions.ShrinkTarget"/>). <see cref="FilmMetadata"/> always
/// holds the stored size.</summary>
public sealed record DecodedFilm(GrayImage Image, FilmMetadata Metadata)
{
    /// <summary>True when <see cref="Image"/> is smaller than the stored film (a DCT-scaled JPEG decode): callers that
    /// show the film at its own size (overlays) decode it again at full size.</summary>
    public bool IsReduced => Image.Width != Metadata.OriginalWidth || Image.Height != Metadata.OriginalHeight;
}
