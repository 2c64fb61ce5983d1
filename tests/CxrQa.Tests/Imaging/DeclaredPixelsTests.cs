using CxrQa.Core.Imaging;
using CxrQa.Tests.Dicom;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

/// <summary>What the inference queue charges a film before decoding it: the pixels its JPEG or PNG header declares.</summary>
public class DeclaredPixelsTests
{
    [Fact]
    public void Jpeg_and_png_headers_give_their_declared_size()
    {
        Assert.Equal(64L * 48, FilmDecoder.DeclaredPixels(TestImageEncoder.Jpeg(Support.SyntheticFilms.Chest(64, 48))));
        Assert.Equal(64L * 48, FilmDecoder.DeclaredPixels(TestImageEncoder.Png(Support.SyntheticFilms.Chest(64, 48))));
        // A header alone is enough, however large the size it claims.
        Assert.Equal(60000L * 60000, FilmDecoder.DeclaredPixels(TestImageEncoder.PngHeaderOnly(60000, 60000)));
    }

    [Fact]
    public void Dicom_unreadable_and_unknown_bytes_declare_nothing()
    {
        Assert.Null(FilmDecoder.DeclaredPixels(DicomFiles.Load("chest", "CR-MONO1-10-chest")));
        Assert.Null(FilmDecoder.DeclaredPixels([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])); // PNG cut before its IHDR
        Assert.Null(FilmDecoder.DeclaredPixels("not an image"u8));
        Assert.Null(FilmDecoder.DeclaredPixels([]));
    }
}
