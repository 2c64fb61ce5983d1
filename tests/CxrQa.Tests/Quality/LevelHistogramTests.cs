using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;

namespace CxrQa.Tests.Quality;

public sealed class LevelHistogramTests
{
    private static GrayImage Ramp() => new(256, 1, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());

    [Fact]
    public void PercentilesOfAFullRampAreNearestRank()
    {
        var h = LevelHistogram.Of(Ramp());
        Assert.Equal(0, h.Percentile(0));
        Assert.Equal(12, h.Percentile(5)); // ceil(12.8) = 13th smallest = level 12
        Assert.Equal(243, h.Percentile(95));
        Assert.Equal(255, h.Percentile(100));
    }

    [Fact]
    public void ExtremeFractionCountsBothEnds()
    {
        var h = LevelHistogram.Of(Ramp());
        Assert.Equal(6 / 256.0, h.ExtremeFraction(2, 253), 12);
    }

    [Fact]
    public void MeanAndStandardDeviationMatchTheDirectFormula()
    {
        var image = new GrayImage(4, 1, [0, 0, 10, 30]);
        var h = LevelHistogram.Of(image);
        Assert.Equal(10, h.Mean(), 12);
        Assert.Equal(Math.Sqrt((100 + 100 + 0 + 400) / 4.0), h.StandardDeviation(), 12);
    }
}
