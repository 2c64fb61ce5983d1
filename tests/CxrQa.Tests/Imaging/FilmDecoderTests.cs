using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

/// <summary>Each PNG variant and JPEG decodes to the expected gray levels; lossless ones exactly.</summary>
public class FilmDecoderTests
{
    private const int W = 37, H = 23; // odd sizes catch stride and row-padding mistakes

    [Fact]
    public void Png_gray_8_bit_decodes_exactly()
    {
        var film = SyntheticFilms.Chest(W, H);
        var decoded = Decoders.Decode(TestImageEncoder.Png(film));
        Assert.Equal(film.Pixels, decoded.Image.Pixels);
        AssertMetadata(decoded, ImageFormat.Png, bits: 8, channels: 1);
        Assert.Equal(0, decoded.Metadata.Colourfulness);
    }

    [Fact]
    public void Png_gray_16_bit_is_read_at_full_depth_and_stretched_over_its_own_range()
    {
        // Our reader, not Skia (which keeps the high byte): the DICOM reader's no-VOI min-max stretch, so the low
        // byte counts and a film that uses only 12 of its 16 bits still spans 0..255.
        var film = SyntheticFilms.Chest(W, H);
        var samples = new ushort[W * H];
        for (var i = 0; i < samples.Length; i++) samples[i] = (ushort)(film.Pixels[i] * 256 + i * 7 % 256);
        var decoded = Decoders.Decode(TestImageEncoder.Png(W, H, channels: 1, bitDepth: 16, samples));
        Assert.Equal(Stretched(samples), decoded.Image.Pixels);
        AssertMetadata(decoded, ImageFormat.Png, bits: 16, channels: 1);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Png_gray_alpha_is_composited_over_black(int bitDepth)
    {
        var film = SyntheticFilms.Chest(W, H);
        var alpha = Alpha(W * H);
        var samples = new ushort[W * H * 2];
        for (var i = 0; i < W * H; i++)
        {
            samples[2 * i] = Sample(film.Pixels[i], bitDepth);
            samples[2 * i + 1] = Sample(alpha[i], bitDepth);
        }
        var decoded = Decoders.Decode(TestImageEncoder.Png(W, H, channels: 2, bitDepth, samples));
        // 16-bit grey is stretched over its own range first (our reader), then composited like 8-bit.
        var grey = bitDepth == 16 ? Stretched(film.Pixels.Select(g => Sample(g, 16)).ToArray()) : film.Pixels;
        var expected = grey.Select((g, i) => OverBlack(g, alpha[i])).ToArray();
        Assert.Equal(expected, decoded.Image.Pixels);
        AssertMetadata(decoded, ImageFormat.Png, bits: bitDepth, channels: 2);
        Assert.Equal(0, decoded.Metadata.Colourfulness);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Png_rgb_converts_to_bt601_luma(int bitDepth)
    {
        var photo = SyntheticFilms.ColourPhoto(W, H);
        var samples = photo.Rgb.Select(b => Sample(b, bitDepth)).ToArray();
        var decoded = Decoders.Decode(TestImageEncoder.Png(W, H, channels: 3, bitDepth, samples));
        Assert.Equal(ExpectedLuma(photo.Rgb, alpha: null), decoded.Image.Pixels);
        AssertMetadata(decoded, ImageFormat.Png, bits: bitDepth, channels: 3);
        Assert.Equal(ExpectedColourfulness(photo.Rgb, alpha: null), decoded.Metadata.Colourfulness, 9);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Png_rgba_is_composited_over_black_then_converted(int bitDepth)
    {
        var photo = SyntheticFilms.ColourPhoto(W, H);
        var alpha = Alpha(W * H);
        var samples = new ushort[W * H * 4];
        for (var i = 0; i < W * H; i++)
        {
            for (var c = 0; c < 3; c++) samples[4 * i + c] = Sample(photo.Rgb[3 * i + c], bitDepth);
            samples[4 * i + 3] = Sample(alpha[i], bitDepth);
        }
        var decoded = Decoders.Decode(TestImageEncoder.Png(W, H, channels: 4, bitDepth, samples));
        Assert.Equal(ExpectedLuma(photo.Rgb, alpha), decoded.Image.Pixels);
        AssertMetadata(decoded, ImageFormat.Png, bits: bitDepth, channels: 4);
        Assert.Equal(ExpectedColourfulness(photo.Rgb, alpha), decoded.Metadata.Colourfulness, 9);
    }

    [Fact]
    public void Png_rgb_of_a_gray_film_is_exact_and_colourless()
    {
        var film = SyntheticFilms.Chest(W, H);
        var decoded = Decoders.Decode(TestImageEncoder.Png(SyntheticFilms.ToRgb(film)));
        Assert.Equal(film.Pixels, decoded.Image.Pixels);
        Assert.Equal(0, decoded.Metadata.Colourfulness);
    }

    [Fact]
    public void Jpeg_gray_decodes_close_to_the_original()
    {
        var film = SyntheticFilms.Chest(120, 90);
        var decoded = Decoders.Decode(TestImageEncoder.Jpeg(film, quality: 100));
        AssertMetadata(decoded, ImageFormat.Jpeg, bits: 8, channels: 1);
        Assert.Equal(0, decoded.Metadata.Colourfulness);
        AssertClose(film, decoded.Image, maxMeanAbsDiff: 1.0);
    }

    [Fact]
    public void Jpeg_rgb_of_a_gray_film_decodes_close_and_almost_colourless()
    {
        var film = SyntheticFilms.Chest(120, 90);
        var decoded = Decoders.Decode(TestImageEncoder.Jpeg(SyntheticFilms.ToRgb(film), quality: 100));
        AssertMetadata(decoded, ImageFormat.Jpeg, bits: 8, channels: 3);
        Assert.InRange(decoded.Metadata.Colourfulness, 0, 2);
        AssertClose(film, decoded.Image, maxMeanAbsDiff: 1.5);
    }

    [Fact]
    public void Colour_photo_is_very_colourful()
    {
        var photo = SyntheticFilms.ColourPhoto(120, 90);
        Assert.InRange(Decoders.Decode(TestImageEncoder.Jpeg(photo)).Metadata.Colourfulness, 60, 255);
        Assert.InRange(Decoders.Decode(TestImageEncoder.Png(photo)).Metadata.Colourfulness, 60, 255);
    }

    private static void AssertMetadata(DecodedFilm decoded, ImageFormat format, int bits, int channels)
    {
        Assert.Equal(format, decoded.Metadata.Format);
        Assert.Equal(decoded.Image.Width, decoded.Metadata.OriginalWidth);
        Assert.Equal(decoded.Image.Height, decoded.Metadata.OriginalHeight);
        Assert.Equal(bits, decoded.Metadata.BitsStored);
        Assert.Equal(channels, decoded.Metadata.Channels);
        Assert.Null(decoded.Metadata.Dicom);
    }

    private static void AssertClose(GrayImage expected, GrayImage actual, double maxMeanAbsDiff)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var mean = expected.Pixels.Zip(actual.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(mean, 0, maxMeanAbsDiff);
    }

    /// <summary>Alpha with fully opaque, fully transparent and partial pixels.</summary>
    private static byte[] Alpha(int count) => Enumerable.Range(0, count).Select(i => (i % 5) switch
    {
        0 => (byte)0,
        1 or 2 => (byte)255,
        _ => (byte)(i * 37 % 256),
    }).ToArray();

    /// <summary>The DICOM reader's min-max stretch, written out: round((v - min) / (max - min) * 255).</summary>
    private static byte[] Stretched(ushort[] samples)
    {
        int min = samples.Min(), max = samples.Max();
        return samples.Select(v => (byte)Math.Round((double)(v - min) / (max - min) * 255, MidpointRounding.AwayFromZero)).ToArray();
    }

    private static ushort Sample(byte level, int bitDepth) => bitDepth == 16 ? (ushort)(level * 257) : level;

    private static int OverBlackLevel(int c, int a) => (c * a + 127) / 255;

    private static byte OverBlack(byte c, byte a) => (byte)OverBlackLevel(c, a);

    private static byte[] ExpectedLuma(byte[] rgb, byte[]? alpha) => Enumerable.Range(0, rgb.Length / 3).Select(i =>
    {
        var (r, g, b) = Composited(rgb, alpha, i);
        // decimal: exact, so ties round the way BT.601-with-rounding says, independent of the integer implementation
        return (byte)Math.Round(0.299m * r + 0.587m * g + 0.114m * b, MidpointRounding.AwayFromZero);
    }).ToArray();

    private static double ExpectedColourfulness(byte[] rgb, byte[]? alpha) => Enumerable.Range(0, rgb.Length / 3).Average(i =>
    {
        var (r, g, b) = Composited(rgb, alpha, i);
        return (double)(Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)));
    });

    private static (int R, int G, int B) Composited(byte[] rgb, byte[]? alpha, int i)
    {
        int a = alpha?[i] ?? 255;
        return (OverBlackLevel(rgb[3 * i], a), OverBlackLevel(rgb[3 * i + 1], a), OverBlackLevel(rgb[3 * i + 2], a));
    }
}
