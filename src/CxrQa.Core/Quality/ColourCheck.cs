using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>colour_image: a photograph, screenshot or colour DICOM (ultrasound, palette) instead of a gray film.
/// A gray film saved as RGB has R = G = B up to JPEG chroma noise, so it passes.</summary>
public static class ColourCheck
{
    public static bool IsColour(FilmMetadata metadata, QualityGateOptions options) =>
        metadata.Colourfulness > options.MaxColourfulness
        || (metadata.Dicom is { } dicom && HasColourPhotometric(dicom.PhotometricInterpretation, options));

    public static bool HasColourPhotometric(string photometricInterpretation, QualityGateOptions options)
    {
        var value = photometricInterpretation.Trim();
        return options.ColourPhotometricPrefixes.Any(p => value.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }
}
