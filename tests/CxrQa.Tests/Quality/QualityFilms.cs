using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Quality;

/// <summary>Wraps test images as decoded films, and inverts them, for the gate tests.</summary>
internal static class QualityFilms
{
    /// <summary>A gray PNG-like film with no DICOM header.</summary>
    public static DecodedFilm Gray(GrayImage image, double colourfulness = 0) =>
        new(image, new FilmMetadata(ImageFormat.Png, image.Width, image.Height, 8, 1, colourfulness, null));

    public static DecodedFilm WithDicom(GrayImage image, DicomFacts facts) =>
        new(image, new FilmMetadata(ImageFormat.Dicom, image.Width, image.Height, 8, 1, 0, facts));

    public static DicomFacts Facts(string? modality = "CR", string? bodyPart = "CHEST", string? view = "PA",
        string photometric = "MONOCHROME2") =>
        new("1.2.840.10008.1.2", "Implicit VR Little Endian", modality, bodyPart, view, photometric, 8, 8, 1, 1, false);

    /// <summary>The negative of the film (255 - v), what a polarity error produces.</summary>
    public static GrayImage Inverted(GrayImage image) =>
        new(image.Width, image.Height, Array.ConvertAll(image.Pixels, v => (byte)(255 - v)));

    /// <summary>The left <paramref name="fraction"/> of the film stretched back to full width: a grossly asymmetric
    /// film (half a chest), the only "lateral-like" test input derivable from frontal films.</summary>
    public static GrayImage LeftPartStretched(GrayImage image, double fraction)
    {
        var cropWidth = (int)(image.Width * fraction);
        var crop = new byte[cropWidth * image.Height];
        for (var y = 0; y < image.Height; y++)
            Array.Copy(image.Pixels, y * image.Width, crop, y * cropWidth, cropWidth);
        return AreaResize.Resize(new GrayImage(cropWidth, image.Height, crop), image.Width, image.Height);
    }

    /// <summary>Every level mapped linearly into [low, high].</summary>
    public static GrayImage Compressed(GrayImage image, int low, int high) =>
        new(image.Width, image.Height, Array.ConvertAll(image.Pixels, v => (byte)(low + (high - low) * v / 255)));
}
