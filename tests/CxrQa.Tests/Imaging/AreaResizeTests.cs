using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

public class AreaResizeTests
{
    [Fact]
    public void Same_size_returns_the_same_image()
    {
        var film = SyntheticFilms.Chest(224, 224);
        Assert.Same(film, AreaResize.Resize(film, 224, 224));
    }

    [Theory]
    [InlineData(2500, 2000, 224, 224)]
    [InlineData(1001, 777, 224, 224)]
    [InlineData(100, 80, 224, 224)]  // enlarging
    [InlineData(300, 150, 224, 224)] // shrinking one axis, enlarging the other
    [InlineData(7, 5, 3, 2)]
    public void Constant_image_stays_constant(int w, int h, int dw, int dh)
    {
        var resized = AreaResize.Resize(SyntheticFilms.Blank(w, h, 173), dw, dh);
        Assert.Equal((dw, dh), (resized.Width, resized.Height));
        Assert.All(resized.Pixels, p => Assert.Equal(173, p));
    }

    [Theory]
    [InlineData(2500, 2000, 1)]
    [InlineData(1001, 777, 2)]
    [InlineData(450, 449, 3)]
    public void Shrinking_preserves_the_mean_within_half_a_level(int w, int h, int seed)
    {
        foreach (var film in new[] { SyntheticFilms.Chest(w, h, seed), SyntheticFilms.Noise(w, h, seed) })
        {
            var resized = AreaResize.Resize(film, 224, 224);
            Assert.InRange(Mean(resized) - Mean(film), -0.5, 0.5);
        }
    }

    [Fact]
    public void Halving_averages_2x2_blocks()
    {
        var image = new GrayImage(4, 2, [10, 20, 30, 41, 50, 60, 70, 80]);
        Assert.Equal([35, 55], AreaResize.Resize(image, 2, 1).Pixels);
    }

    [Fact]
    public void Fractional_coverage_is_weighted_by_area()
    {
        // 5 -> 2: each output covers 2.5 inputs: (10 + 20 + 0.5*30) / 2.5 = 18 and (0.5*30 + 40 + 50) / 2.5 = 42.
        Assert.Equal([18, 42], AreaResize.Resize(new GrayImage(5, 1, [10, 20, 30, 40, 50]), 2, 1).Pixels);
        // 3 -> 2 on both axes: each output covers 1.5 x 1.5 inputs; weights are products of the axis coverages.
        var image = new GrayImage(3, 3, [90, 0, 45, 0, 180, 0, 45, 0, 90]);
        // (0,0) = (90 + .25*180) / 2.25 = 60; (1,0) = (.5*0 + 1*45 + .25*180 + .5*0) / 2.25 = 40.
        Assert.Equal([60, 40, 40, 60], AreaResize.Resize(image, 2, 2).Pixels);
    }

    [Fact]
    public void Enlarging_interpolates_between_the_covered_samples()
    {
        // 2 -> 3 (OpenCV INTER_AREA when enlarging): the middle output straddles both inputs half and half.
        Assert.Equal([0, 50, 100], AreaResize.Resize(new GrayImage(2, 1, [0, 100]), 3, 1).Pixels);
        Assert.Equal([0, 50, 100], AreaResize.Resize(new GrayImage(1, 2, [0, 100]), 1, 3).Pixels);
    }

    private static double Mean(GrayImage image) => image.Pixels.Average(p => (double)p);
}
