using CxrQa.Core.Numerics;

namespace CxrQa.Tests.Numerics;

public class WidenedDotTests
{
    /// <summary>Every length around the vector widths (and the gates' 128-512), random signs and magnitudes: the
    /// vectorised sum equals the scalar double sum up to rounding.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EqualsTheScalarSumForEveryLength(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n <= 520; n++)
        {
            var a = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)))).ToArray();
            var b = Enumerable.Range(0, n + random.Next(0, 3)).Select(_ => (random.NextDouble() - 0.5) * 100).ToArray();
            double expected = 0, magnitude = 0;
            for (var k = 0; k < n; k++)
            {
                expected += a[k] * b[k];
                magnitude += Math.Abs(a[k] * b[k]);
            }
            Assert.Equal(expected, WidenedDot.Of(a, b), 1e-12 * (magnitude + 1));
        }
    }

    [Fact]
    public void RefusesAShorterSecondVector() =>
        Assert.Throws<ArgumentException>(() => WidenedDot.Of(new float[4], new double[3]));
}
