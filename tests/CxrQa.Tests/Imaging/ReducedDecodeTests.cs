using CxrQa.Core.Imaging;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Quality;
using CxrQa.Core.Routing;
using CxrQa.Tests.Support;
using CxrQa.Domain;

namespace CxrQa.Tests.Imaging;

/// <summary>DecodeOptions.ShrinkTarget: large JPEGs come back reduced by 1/2, 1/4 or 1/8 (the largest that keeps
/// Oversampling x the target), gray, with the stored size in the metadata; PNG and small JPEGs are untouched.</summary>
public class ReducedDecodeTests
{
    private static readonly DecodeOptions Screening = new() { ShrinkTarget = new DecodeTarget(224, 224) };

    private static DecodedFilm Decode(byte[] bytes, DecodeOptions options) => Decoders.Create().Decode(bytes, options);

    [Theory]
    // Skia/libjpeg-turbo scaled sizes are ceil(side / denominator).
    [InlineData(3600, 3700, 450, 463)]  // 1/8: 450 >= 448
    [InlineData(2340, 2431, 585, 608)]  // 1/8 would give 293 < 448, so 1/4
    [InlineData(1000, 1200, 500, 600)]  // 1/2
    [InlineData(895, 2000, 448, 1000)]  // 1/2: ceil(895 / 2) = 448, just enough
    [InlineData(890, 2000, 890, 2000)]  // 445 < 448 on one side: full size
    [InlineData(600, 500, 600, 500)]    // too small for any reduction
    public void Gray_jpeg_is_reduced_by_the_largest_allowed_power_of_two(int width, int height, int expectedWidth, int expectedHeight)
    {
        var film = Decode(TestImageEncoder.Jpeg(SyntheticFilms.Chest(width, height)), Screening);

        Assert.Equal((expectedWidth, expectedHeight), (film.Image.Width, film.Image.Height));
        Assert.Equal((width, height), (film.Metadata.OriginalWidth, film.Metadata.OriginalHeight));
        Assert.Equal(expectedWidth != width, film.IsReduced);
        Assert.Equal(ImageFormat.Jpeg, film.Metadata.Format);
        Assert.Equal((8, 1), (film.Metadata.BitsStored, film.Metadata.Channels));
    }

    [Fact]
    public void Without_a_target_the_same_jpeg_decodes_at_full_size()
    {
        var bytes = TestImageEncoder.Jpeg(SyntheticFilms.Chest(1000, 1200));
        var full = Decode(bytes, DecodeOptions.FullSize(DecodeLimits.Default));
        var legacy = Decoders.Decode(bytes);

        Assert.Equal((1000, 1200), (full.Image.Width, full.Image.Height));
        Assert.False(full.IsReduced);
        Assert.Equal(legacy.Image.Pixels, full.Image.Pixels);
    }

    [Fact]
    public void Oversampling_sets_how_far_it_may_reduce()
    {
        var bytes = TestImageEncoder.Jpeg(SyntheticFilms.Chest(2000, 2000));
        Assert.Equal(250, Decode(bytes, new DecodeOptions { ShrinkTarget = new DecodeTarget(224, 224, 1) }).Image.Width);
        Assert.Equal(500, Decode(bytes, new DecodeOptions { ShrinkTarget = new DecodeTarget(224, 224, 2) }).Image.Width);
        Assert.Equal(1000, Decode(bytes, new DecodeOptions { ShrinkTarget = new DecodeTarget(224, 224, 4) }).Image.Width);
        Assert.Equal(2000, Decode(bytes, new DecodeOptions { ShrinkTarget = new DecodeTarget(224, 224, 10) }).Image.Width);
    }

    [Fact]
    public void Reduced_gray_output_matches_an_area_resize_of_the_full_decode()
    {
        // 1/4 DCT scaling is a low-pass close to a 4x4 box mean; on a smooth-ish film the two agree within a few levels.
        var bytes = TestImageEncoder.Jpeg(SyntheticFilms.Chest(1792, 1792), quality: 95);
        var full = Decoders.Decode(bytes).Image;
        var reduced = Decode(bytes, Screening).Image;
        Assert.Equal((448, 448), (reduced.Width, reduced.Height));

        var box = AreaResize.Resize(full, 448, 448);
        var diffs = reduced.Pixels.Zip(box.Pixels, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.InRange(diffs.Average(), 0, 2.0);

        var preprocessor = new FilmPreprocessor(PreprocessingOptions.Default);
        var enhancedFull = preprocessor.Enhance(full);
        var enhancedReduced = preprocessor.Enhance(reduced);
        Assert.InRange(enhancedReduced.Pixels.Zip(enhancedFull.Pixels, (a, b) => Math.Abs(a - b)).Average(), 0, 2.0);
    }

    [Fact]
    public void Rgb_jpeg_of_a_gray_film_is_reduced_to_gray_with_no_colour()
    {
        var film = Decode(TestImageEncoder.Jpeg(SyntheticFilms.ToRgb(SyntheticFilms.Chest(1000, 1000))), Screening);

        Assert.Equal((500, 500), (film.Image.Width, film.Image.Height));
        Assert.Equal((1000, 1000), (film.Metadata.OriginalWidth, film.Metadata.OriginalHeight));
        Assert.Equal(3, film.Metadata.Channels);
        Assert.InRange(film.Metadata.Colourfulness, 0, 3);
        Assert.InRange(film.Image.Pixels.Average(p => (double)p), 40, 220);
    }

    [Fact]
    public void Colour_photo_is_still_colour_when_reduced()
    {
        // Averaging can only lower chroma (max-min of means <= mean of max-min); a photo stays far above the gate's 10.
        var bytes = TestImageEncoder.Jpeg(SyntheticFilms.ColourPhoto(1920, 1440));
        var full = Decoders.Decode(bytes);
        var reduced = Decode(bytes, Screening);

        Assert.True(reduced.IsReduced);
        Assert.InRange(reduced.Metadata.Colourfulness, 60, 255);
        Assert.InRange(Math.Abs(reduced.Metadata.Colourfulness - full.Metadata.Colourfulness), 0, 5);
        Assert.Contains(ReasonCodes.ColourImage, new QualityGate(QualityGateOptions.Default).Assess(reduced).Reasons);
    }

    [Fact]
    public void Png_is_never_reduced()
    {
        var film = Decode(TestImageEncoder.Png(SyntheticFilms.Chest(1000, 1200)), Screening);

        Assert.Equal((1000, 1200), (film.Image.Width, film.Image.Height));
        Assert.False(film.IsReduced);
    }

    [Fact]
    public void Limits_are_checked_on_the_stored_size_not_the_reduced_one()
    {
        var bytes = TestImageEncoder.Jpeg(SyntheticFilms.Chest(1000, 1000));
        var options = Screening with { Limits = new DecodeLimits { MaxPixels = 999_999 } };

        var ex = Assert.Throws<CxrQa.Core.Errors.CxrQaException>(() => Decode(bytes, options));
        Assert.Equal(CxrQa.Core.Errors.ErrorCodes.ImageTooLarge, ex.Code);
    }

    [Fact]
    public void Too_small_reads_the_stored_size()
    {
        // 1/8 of 1800x1800 is 225: a reduced image under a gate minimum must never look "too small".
        var gate = new QualityGate(QualityGateOptions.Default with { MinSidePixels = 300 });
        var film = Decode(TestImageEncoder.Jpeg(SyntheticFilms.Chest(1800, 1800)), new DecodeOptions { ShrinkTarget = new DecodeTarget(224, 224, 1) });

        Assert.Equal(225, film.Image.Width);
        var assessment = gate.Assess(film);
        Assert.Equal(1800, assessment.Measurements.MinSidePixels);
        Assert.DoesNotContain(ReasonCodes.TooSmall, assessment.Reasons);
    }

    [Fact]
    public void Truncated_jpeg_is_refused_when_reduced_too()
    {
        var bytes = TestImageEncoder.Jpeg(SyntheticFilms.Chest(1000, 1000));
        var ex = Assert.Throws<CxrQa.Core.Errors.CxrQaException>(() => Decode(bytes[..(bytes.Length / 2)], Screening));
        Assert.Equal(CxrQa.Core.Errors.ErrorCodes.TruncatedImage, ex.Code);
    }

    [Fact]
    public void Screening_options_choose_the_decode()
    {
        Assert.Equal(new DecodeTarget(224, 224, 2), ScreeningService.DecodeOptionsFor(new ScreeningOptions(), 224).ShrinkTarget);
        Assert.Null(ScreeningService.DecodeOptionsFor(new ScreeningOptions { ReducedDecodeOversampling = null }, 224).ShrinkTarget);
    }
}
