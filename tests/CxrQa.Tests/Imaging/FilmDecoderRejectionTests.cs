using System.Buffers.Binary;
using System.Diagnostics;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

/// <summary>Bad input always leaves as a CxrQaException with a stable code, never as another exception type and
/// never as a partial image.</summary>
public class FilmDecoderRejectionTests
{
    [Fact]
    public void Empty_file() => AssertRefused(ErrorCodes.EmptyFile, []);

    [Fact]
    public void File_over_the_byte_limit()
    {
        var png = TestImageEncoder.Png(SyntheticFilms.Chest(64, 64));
        AssertRefused(ErrorCodes.FileTooLarge, png, new DecodeLimits { MaxFileBytes = png.Length - 1 });
        Assert.Equal(64, Decoders.Decode(png, new DecodeLimits { MaxFileBytes = png.Length }).Image.Width);
    }

    [Fact]
    public void Text_file_named_png_is_unsupported() =>
        AssertRefused(ErrorCodes.UnsupportedFormat, "this is not an image, whatever its name says\n"u8.ToArray());

    [Theory]
    [InlineData(9)]     // signature and a byte
    [InlineData(20)]    // inside IHDR
    [InlineData(33)]    // right after IHDR, before any pixel data
    [InlineData(-0.25)] // a quarter of the image data
    [InlineData(-0.5)]
    [InlineData(-0.9)]
    public void Truncated_png(double cut)
    {
        var png = TestImageEncoder.Png(SyntheticFilms.Noise(200, 150));
        AssertRefused(ErrorCodes.TruncatedImage, png[..CutPoint(png.Length, cut)]);
    }

    [Theory]
    [InlineData(3)]     // SOI and the first byte of a marker
    [InlineData(30)]    // inside the header segments
    [InlineData(-0.25)]
    [InlineData(-0.5)]
    [InlineData(-0.9)]
    public void Truncated_jpeg(double cut)
    {
        var jpeg = TestImageEncoder.Jpeg(SyntheticFilms.Chest(200, 150));
        AssertRefused(ErrorCodes.TruncatedImage, jpeg[..CutPoint(jpeg.Length, cut)]);
    }

    [Fact]
    public void Png_with_damaged_image_data_is_corrupt()
    {
        var png = TestImageEncoder.Png(SyntheticFilms.Noise(200, 150));
        for (var i = png.Length / 2; i < png.Length / 2 + 64; i++) png[i] ^= 0x5A;
        AssertRefused(ErrorCodes.CorruptImage, png);
    }

    [Fact]
    public void Png_whose_first_chunk_is_not_ihdr_is_corrupt()
    {
        var png = TestImageEncoder.Png(SyntheticFilms.Blank(8, 8));
        "IHDX"u8.CopyTo(png.AsSpan(12));
        AssertRefused(ErrorCodes.CorruptImage, png);
    }

    [Fact]
    public void Png_header_claiming_60000_squared_fails_fast_without_allocating()
    {
        var png = TestImageEncoder.PngHeaderOnly(60000, 60000);
        AssertRefused(ErrorCodes.ImageTooLarge, png); // warm up the code path before measuring
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        AssertRefused(ErrorCodes.ImageTooLarge, png);
        clock.Stop();
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 64 * 1024);
        Assert.InRange(clock.ElapsedMilliseconds, 0, 200);
    }

    [Fact]
    public void Jpeg_frame_header_over_the_pixel_limit()
    {
        var jpeg = TestImageEncoder.Jpeg(SyntheticFilms.Chest(64, 48));
        AssertRefused(ErrorCodes.ImageTooLarge, jpeg, new DecodeLimits { MaxPixels = 64 * 48 - 1 });
        var huge = WithJpegSize(jpeg, 65000, 65000);
        AssertRefused(ErrorCodes.ImageTooLarge, huge);
    }

    [Fact]
    public void Exactly_the_pixel_limit_is_allowed() =>
        Assert.Equal(64, Decoders.Decode(TestImageEncoder.Png(SyntheticFilms.Blank(64, 48)), new DecodeLimits { MaxPixels = 64 * 48 }).Image.Width);

    private static int CutPoint(int length, double cut) => cut >= 1 ? (int)cut : (int)(length * -cut);

    /// <summary>Rewrites the width and height in the first start-of-frame segment.</summary>
    private static byte[] WithJpegSize(byte[] jpeg, int width, int height)
    {
        var copy = (byte[])jpeg.Clone();
        var at = 2;
        while (copy[at + 1] is < 0xC0 or > 0xC3)
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(at + 2));
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 7), (ushort)width);
        return copy;
    }

    [Fact]
    public void Jpeg_header_claiming_7000_squared_over_224_px_of_data_is_refused_before_decoding()
    {
        var real = TestImageEncoder.Jpeg(SyntheticFilms.Chest(224, 224));
        Assert.Equal(224, Decoders.Decode(real).Image.Width);
        var lying = LyingJpeg.WithDeclaredSize(real, 7000, 7000); // 49 MP: under the 50 MP limit, so only the data can tell

        AssertRefused(ErrorCodes.TruncatedImage, lying); // warm up the code path before measuring
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<CxrQaException>(() => Decoders.Decode(lying));
        Assert.Equal(ErrorCodes.TruncatedImage, ex.Code);
        Assert.Contains("7000x7000", ex.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 1024 * 1024); // no 49 MP buffer
    }

    /// <summary>The check is a floor (one bit per 8x8 block), so it catches headers that claim many times the blocks
    /// the data holds; a header a little larger than its data still decodes, padded with grey by the codec.</summary>
    [Theory]
    [InlineData(4480, 4480)]
    [InlineData(7000, 2000)]
    public void Jpeg_header_larger_than_its_data_is_refused_also_when_a_reduced_decode_was_asked(int width, int height)
    {
        var real = TestImageEncoder.Jpeg(SyntheticFilms.Chest(224, 224));
        Assert.True(real.Length * 8L < (width / 8L) * (height / 8L), "the test film is too large to make the point");
        var lying = LyingJpeg.WithDeclaredSize(real, width, height);
        var ex = Assert.Throws<CxrQaException>(() => Decoders.Create().Decode(lying,
            new DecodeOptions { Limits = DecodeLimits.Default, ShrinkTarget = new DecodeTarget(224, 224) }));
        Assert.Equal(ErrorCodes.TruncatedImage, ex.Code);
    }

    [Fact]
    public void Honest_jpegs_of_every_size_and_subsampling_pass_the_data_check()
    {
        foreach (var (w, h) in new[] { (1, 1), (8, 8), (17, 9), (224, 224), (1000, 600) })
        {
            Assert.Equal((w, h), Size(TestImageEncoder.Jpeg(SyntheticFilms.Blank(w, h), quality: 10)));
            Assert.Equal((w, h), Size(TestImageEncoder.Jpeg(SyntheticFilms.Chest(w, h))));
            Assert.Equal((w, h), Size(TestImageEncoder.Jpeg(SyntheticFilms.ColourPhoto(w, h), quality: 10))); // 4:2:0
        }
        static (int, int) Size(byte[] jpeg)
        {
            var film = Decoders.Decode(jpeg);
            return (film.Image.Width, film.Image.Height);
        }
    }

    private static void AssertRefused(string code, byte[] bytes, DecodeLimits? limits = null)
    {
        var ex = Assert.Throws<CxrQaException>(() => Decoders.Decode(bytes, limits));
        Assert.Equal(code, ex.Code);
    }
}
