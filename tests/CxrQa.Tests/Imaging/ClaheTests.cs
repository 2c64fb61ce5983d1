using CxrQa.Core.Imaging;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Imaging;

public class ClaheTests
{
    [Theory]
    [InlineData(224, 224, 117)]
    [InlineData(225, 199, 0)]
    [InlineData(37, 53, 255)]
    public void Constant_image_maps_to_a_constant(int w, int h, byte level)
    {
        var output = Clahe.Apply(SyntheticFilms.Blank(w, h, level));
        Assert.Equal((w, h), (output.Width, output.Height));
        Assert.All(output.Pixels, p => Assert.Equal(output.Pixels[0], p));
    }

    [Fact]
    public void A_single_tile_maps_levels_monotonically()
    {
        // With one tile every pixel goes through the same LUT, so the mapping is a non-decreasing function of level.
        var film = SyntheticFilms.Chest(300, 200);
        AssertMonotoneMapping(film, Clahe.Apply(film, 2.0, 1, 1), (0, 0, 300, 200));
    }

    [Fact]
    public void The_corner_outside_all_tile_centres_maps_monotonically()
    {
        // Left of the first tile centre and above it (14 px at 224/8), only tile (0,0)'s LUT is used.
        var noise = SyntheticFilms.Noise(224, 224);
        AssertMonotoneMapping(noise, Clahe.Apply(noise), (0, 0, 14, 14));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 9)]
    [InlineData(9, 1)]
    [InlineData(8, 8)]
    public void Degenerate_sizes_work(int w, int h)
    {
        var output = Clahe.Apply(SyntheticFilms.Noise(w, h));
        Assert.Equal((w, h), (output.Width, output.Height));
    }

    [Fact]
    public void Clipping_limits_contrast_gain()
    {
        // A low-contrast film: plain histogram equalisation would stretch it to the full range; clip 2 must not.
        var flat = new GrayImage(224, 224, SyntheticFilms.Noise(224, 224).Pixels.Select(p => (byte)(120 + p % 8)).ToArray());
        var output = Clahe.Apply(flat);
        Assert.InRange(output.Pixels.Max() - output.Pixels.Min(), 8, 120);
    }

    private static void AssertMonotoneMapping(GrayImage input, GrayImage output, (int X, int Y, int W, int H) region)
    {
        var mapped = new int[256];
        Array.Fill(mapped, -1);
        for (var y = region.Y; y < region.Y + region.H; y++)
        for (var x = region.X; x < region.X + region.W; x++)
        {
            var level = input[x, y];
            if (mapped[level] < 0) mapped[level] = output[x, y];
            Assert.Equal(mapped[level], output[x, y]); // same level, same output
        }
        var seen = mapped.Where(m => m >= 0).ToArray();
        Assert.True(seen.Length > 10, "region too uniform to test");
        for (var i = 1; i < seen.Length; i++)
            Assert.True(seen[i] >= seen[i - 1], $"brighter input mapped darker: {seen[i - 1]} then {seen[i]}");
    }
}
