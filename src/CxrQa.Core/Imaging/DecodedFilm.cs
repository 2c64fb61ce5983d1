namespace CxrQa.Core.Imaging;

/// <summary>A film decoded to display-ready 8-bit gray (VOI applied, MONOCHROME1 inverted) at its stored size.</summary>
public sealed record DecodedFilm(GrayImage Image, FilmMetadata Metadata);
