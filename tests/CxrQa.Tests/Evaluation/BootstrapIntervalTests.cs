using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class BootstrapIntervalTests
{
    private static double AucOf(double[] s, int[] y) => Auc.Compute(s, y);

    [Fact]
    public void Same_seed_same_interval_and_it_brackets_the_estimate()
    {
        var (s, y) = AucTests.Random(1, 300);
        var a = BootstrapInterval.Compute(s, y, AucOf, resamples: 500, seed: 3);
        var b = BootstrapInterval.Compute(s, y, AucOf, resamples: 500, seed: 3);
        var c = BootstrapInterval.Compute(s, y, AucOf, resamples: 500, seed: 4);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Lower, c.Lower);
        Assert.Equal(Auc.Compute(s, y), a.Estimate);
        Assert.True(a.Lower < a.Estimate && a.Estimate < a.Upper, $"{a}");
        Assert.Equal(500, a.Resamples);
    }

    [Fact]
    public void The_interval_of_a_mean_matches_the_normal_approximation()
    {
        var random = new Random(7);
        var y = Enumerable.Range(0, 2000).Select(_ => random.NextDouble() < 0.3 ? 1 : 0).ToArray();
        var s = y.Select(l => (double)l).ToArray();
        var ci = BootstrapInterval.Compute(s, y, (_, labels) => labels.Average(), resamples: 2000, seed: 1);
        var p = y.Average();
        var halfWidth = 1.96 * Math.Sqrt(p * (1 - p) / y.Length);
        Assert.Equal(p - halfWidth, ci.Lower, 2);
        Assert.Equal(p + halfWidth, ci.Upper, 2);
    }

    [Fact]
    public void More_films_give_a_narrower_interval()
    {
        var (small, ySmall) = AucTests.Random(5, 100);
        var (large, yLarge) = AucTests.Random(5, 1600);
        var narrow = BootstrapInterval.Compute(large, yLarge, AucOf, resamples: 400, seed: 1);
        var wide = BootstrapInterval.Compute(small, ySmall, AucOf, resamples: 400, seed: 1);
        Assert.True(narrow.Upper - narrow.Lower < wide.Upper - wide.Lower);
    }
}
