using CxrQa.Core.Calibration;

namespace CxrQa.Tests.Calibration;

public sealed class BinomialBoundsTests
{
    private static readonly int[] Sizes = [1, 2, 5, 10, 30, 100, 299, 1000, 2000, 5000];
    private static readonly double[] Deltas = [0.001, 0.01, 0.05, 0.1, 0.5];

    private static IEnumerable<(int K, int N)> Cases()
    {
        foreach (var n in Sizes)
            foreach (var k in new[] { 0, 1, 2, n / 100, n / 10, n / 2, n - 1, n }.Where(k => k >= 0 && k <= n).Distinct())
                yield return (k, n);
    }

    [Fact]
    public void Upper_bound_puts_exactly_delta_in_the_lower_tail()
    {
        foreach (var (k, n) in Cases())
            foreach (var delta in Deltas)
            {
                var upper = BinomialBounds.ClopperPearsonUpper(k, n, delta);
                if (k == n)
                {
                    Assert.Equal(1.0, upper);
                    continue;
                }
                Assert.True(Math.Abs(ExactBinomial.Cdf(k, n, upper) - delta) <= 1e-9,
                    $"k={k} n={n} delta={delta}: P(Bin <= k) at {upper} is {ExactBinomial.Cdf(k, n, upper)}");
            }
    }

    [Fact]
    public void Lower_bound_puts_exactly_delta_in_the_upper_tail()
    {
        foreach (var (k, n) in Cases())
            foreach (var delta in Deltas)
            {
                var lower = BinomialBounds.ClopperPearsonLower(k, n, delta);
                if (k == 0)
                {
                    Assert.Equal(0.0, lower);
                    continue;
                }
                Assert.True(Math.Abs(ExactBinomial.UpperTail(k, n, lower) - delta) <= 1e-9,
                    $"k={k} n={n} delta={delta}: P(Bin >= k) at {lower} is {ExactBinomial.UpperTail(k, n, lower)}");
            }
    }

    [Fact]
    public void Zero_errors_match_the_closed_form()
    {
        foreach (var n in Sizes)
            foreach (var delta in Deltas)
                Assert.Equal(1 - Math.Pow(delta, 1.0 / n), BinomialBounds.ClopperPearsonUpper(0, n, delta), 1e-12);
    }

    [Theory]
    // Two-sided 95 % Clopper-Pearson intervals as printed by R's binom.test: each end is a one-sided bound at 2.5 %.
    [InlineData(0, 10, 0.0, 0.3084971)]
    [InlineData(1, 10, 0.002528579, 0.4450161)]
    [InlineData(5, 10, 0.1870860, 0.8129140)]
    [InlineData(10, 10, 0.6915029, 1.0)]
    [InlineData(50, 100, 0.3983211, 0.6016789)]
    public void Matches_published_intervals(int k, int n, double lower, double upper)
    {
        Assert.Equal(lower, BinomialBounds.ClopperPearsonLower(k, n, 0.025), 1e-6);
        Assert.Equal(upper, BinomialBounds.ClopperPearsonUpper(k, n, 0.025), 1e-6);
    }

    [Fact]
    public void Bounds_bracket_the_observed_rate_and_move_the_right_way()
    {
        foreach (var (k, n) in Cases())
        {
            var lower = BinomialBounds.ClopperPearsonLower(k, n, 0.05);
            var upper = BinomialBounds.ClopperPearsonUpper(k, n, 0.05);
            Assert.InRange(k / (double)n, lower, upper);
            if (k < n)
                Assert.True(BinomialBounds.ClopperPearsonUpper(k + 1, n, 0.05) > upper, "one more error must raise the bound");
            Assert.True(BinomialBounds.ClopperPearsonUpper(k, n + 1, 0.05) <= upper, "one more correct answer must not raise it");
            Assert.True(BinomialBounds.ClopperPearsonUpper(k, n, 0.01) >= upper, "more confidence, wider bound");
        }
    }

    [Fact]
    public void The_cheap_test_agrees_with_the_bound()
    {
        foreach (var (k, n) in Cases())
            foreach (var alpha in new[] { 0.005, 0.01, 0.02, 0.1, 0.5 })
            {
                var upper = BinomialBounds.ClopperPearsonUpper(k, n, 0.05);
                if (Math.Abs(upper - alpha) < 1e-9)
                    continue;
                Assert.Equal(upper <= alpha, BinomialBounds.UpperBoundAtMost(k, n, 0.05, alpha));
            }
    }

    [Theory]
    [InlineData(0.01, 0.05, 299)]
    [InlineData(0.02, 0.05, 149)]
    [InlineData(0.05, 0.05, 59)]
    [InlineData(0.01, 0.025, 368)]
    public void Minimum_sample_for_zero_errors_is_the_first_n_that_certifies(double alpha, double delta, int expected)
    {
        Assert.Equal(expected, BinomialBounds.MinimumSampleForZeroErrors(alpha, delta));
        Assert.True(BinomialBounds.ClopperPearsonUpper(0, expected, delta) <= alpha);
        Assert.True(BinomialBounds.ClopperPearsonUpper(0, expected - 1, delta) > alpha);
    }

    [Fact]
    public void Rejects_impossible_counts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialBounds.ClopperPearsonUpper(5, 4, 0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialBounds.ClopperPearsonUpper(-1, 4, 0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialBounds.ClopperPearsonUpper(1, 4, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialBounds.ClopperPearsonLower(1, 4, 1.0));
    }
}
