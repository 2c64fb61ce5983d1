using CxrQa.Core.Augmentation;

namespace CxrQa.Tests.Augmentation;

public sealed class FramingCropTests
{
    private static byte[] Gradient(int w, int h) =>
        Enumerable.Range(0, w * h).Select(i => (byte)(i % w * 255 / (w - 1))).ToArray();

    [Fact]
    public void The_full_window_at_the_same_size_is_the_film()
    {
        var film = Gradient(40, 30);
        Assert.Equal(film, FramingCrop.Full.Apply(film, 40, 30, 40, 30));
    }

    [Fact]
    public void A_right_half_window_keeps_the_right_half_of_a_horizontal_gradient()
    {
        var film = Gradient(100, 10);
        var crop = new FramingCrop(0.5, 0, 0.5, 1).Apply(film, 100, 10, 100, 10);
        // Source columns 50..99 (levels ~129..255) stretched over 100 columns.
        Assert.InRange(crop[0], 125, 131);
        Assert.InRange(crop[99], 252, 255);
        Assert.True(crop.Take(100).Zip(crop.Skip(1).Take(99)).All(p => p.First <= p.Second), "the gradient stays monotone");
    }

    [Fact]
    public void A_window_outside_the_film_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FramingCrop(0.6, 0, 0.5, 1).Apply(Gradient(10, 10), 10, 10, 10, 10));
    }

    [Theory]
    [InlineData(0.45, 1.3)]
    [InlineData(0.8, 1.0)]
    [InlineData(1.0, 1.3)]
    public void Drawn_windows_lie_inside_the_film_with_at_least_the_minimum_area(double areaMin, double aspectMax)
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var w = FramingCrop.Draw(new Random(seed), areaMin, aspectMax);
            Assert.InRange(w.X, 0, 1 - w.Width + 1e-12);
            Assert.InRange(w.Y, 0, 1 - w.Height + 1e-12);
            Assert.InRange(w.Area, Math.Min(areaMin, 1) * 0.999 / aspectMax, 1 + 1e-12);
        }
    }

    [Fact]
    public void Thorax_windows_tighten_monotonically_from_the_whole_film()
    {
        Assert.True(ThoraxFraming.Window(0).IsFull);
        var areas = new[] { 0, 0.25, 0.5, 0.75, 1.0 }.Select(t => ThoraxFraming.Window(t).Area).ToArray();
        Assert.True(areas.Zip(areas.Skip(1)).All(p => p.First > p.Second));
        Assert.InRange(ThoraxFraming.Window(1).Area, 0.5, 0.6);
        Assert.Throws<ArgumentOutOfRangeException>(() => ThoraxFraming.Window(1.1));
    }

    [Fact]
    public void The_augmenter_crops_the_unenhanced_film_and_enhances_the_crop()
    {
        const int size = 32;
        var unenhanced = Gradient(size, size);
        var enhanced = unenhanced.Select(v => (byte)(255 - v)).ToArray(); // a stand-in "enhancement" that is easy to see
        var calls = 0;
        var augmenter = new FilmAugmenter(AugmentationOptions.None with { FramingProbability = 1, FramingAreaMin = 0.5 },
            image => { calls++; return new Core.Imaging.GrayImage(image.Width, image.Height, image.Pixels.Select(v => (byte)(255 - v)).ToArray()); });

        var result = augmenter.Augment(enhanced, size, seed: 1, epoch: 1, index: 3, unenhanced);

        Assert.Equal(1, calls);
        Assert.True(result[0] > result[size - 1], "the enhancement was applied after the crop (inverted gradient)");
    }
}
