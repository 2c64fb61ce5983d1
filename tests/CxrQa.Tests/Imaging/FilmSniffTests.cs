using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

public class FilmSniffTests
{
    [Fact]
    public void Jpeg_is_recognised_by_its_signature() =>
        Assert.Equal(ImageFormat.Jpeg, FilmDecoder.Sniff(TestImageEncoder.Jpeg(SyntheticFilms.Chest(64, 48))));

    [Fact]
    public void Png_is_recognised_by_its_signature() =>
        Assert.Equal(ImageFormat.Png, FilmDecoder.Sniff(TestImageEncoder.Png(SyntheticFilms.Chest(64, 48))));

    [Fact]
    public void Bare_signatures_are_enough()
    {
        Assert.Equal(ImageFormat.Jpeg, FilmDecoder.Sniff([0xFF, 0xD8, 0xFF]));
        Assert.Equal(ImageFormat.Png, FilmDecoder.Sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]));
    }
}
