using CxrQa.Core.Explain;

namespace CxrQa.Tests.Explain;

public sealed class ColormapsTests
{
    [Fact]
    public void Jet_runs_from_dark_blue_through_green_to_dark_red()
    {
        Assert.Equal(((byte)0, (byte)0, (byte)128), Colormaps.Jet(0.0));
        Assert.Equal(((byte)0, (byte)0, (byte)255), Colormaps.Jet(0.125));
        Assert.Equal(((byte)0, (byte)255, (byte)255), Colormaps.Jet(0.375));
        Assert.Equal(((byte)128, (byte)255, (byte)128), Colormaps.Jet(0.5));
        Assert.Equal(((byte)255, (byte)255, (byte)0), Colormaps.Jet(0.625));
        Assert.Equal(((byte)255, (byte)0, (byte)0), Colormaps.Jet(0.875));
        Assert.Equal(((byte)128, (byte)0, (byte)0), Colormaps.Jet(1.0));
    }

    /// <summary>cv2.applyColorMap(level, COLORMAP_JET) from OpenCV 4.6, as RGB.</summary>
    [Theory]
    [InlineData(0, 0, 0, 128)]
    [InlineData(16, 0, 0, 192)]
    [InlineData(32, 0, 0, 255)]
    [InlineData(48, 0, 64, 255)]
    [InlineData(64, 0, 128, 255)]
    [InlineData(96, 2, 255, 254)]
    [InlineData(112, 66, 255, 190)]
    [InlineData(128, 130, 255, 126)]
    [InlineData(144, 194, 255, 62)]
    [InlineData(160, 255, 252, 0)]
    [InlineData(191, 255, 128, 0)]
    [InlineData(224, 252, 0, 0)]
    [InlineData(240, 188, 0, 0)]
    [InlineData(255, 128, 0, 0)]
    public void Jet_matches_OpenCV_within_one_level(int level, int r, int g, int b)
    {
        var (mr, mg, mb) = Colormaps.Jet(level / 255.0);

        Assert.InRange(mr, r - 1, r + 1);
        Assert.InRange(mg, g - 1, g + 1);
        Assert.InRange(mb, b - 1, b + 1);
    }

    [Fact]
    public void Jet_is_continuous_one_level_never_jumps_more_than_a_few_steps()
    {
        var previous = Colormaps.Jet(0);
        for (var q = 1; q <= 1000; q++)
        {
            var c = Colormaps.Jet(q / 1000.0);
            Assert.InRange(Math.Abs(c.R - previous.R), 0, 2);
            Assert.InRange(Math.Abs(c.G - previous.G), 0, 2);
            Assert.InRange(Math.Abs(c.B - previous.B), 0, 2);
            previous = c;
        }
    }

    [Theory]
    [InlineData(-0.5, 0.0)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(double.NaN, 0.0)]
    [InlineData(1.5, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    public void Jet_clamps_values_outside_the_unit_interval(double v, double clampedTo)
        => Assert.Equal(Colormaps.Jet(clampedTo), Colormaps.Jet(v));
}
