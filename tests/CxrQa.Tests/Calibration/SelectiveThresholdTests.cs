using CxrQa.Core.Calibration;

namespace CxrQa.Tests.Calibration;

public sealed class SelectiveThresholdTests
{
    private static double[] Descending(int n, double top = 1.0, double step = 1e-4) =>
        Enumerable.Range(0, n).Select(i => top - i * step).ToArray();

    [Fact]
    public void A_perfect_record_large_enough_automates_everything()
    {
        var scores = Descending(1000);
        var s = SelectiveThreshold.Select(scores, Enumerable.Repeat(true, 1000).ToArray(), 0.01, 0.05);
        Assert.Equal(scores[^1], s.Threshold);
        Assert.Equal(1000, s.N);
        Assert.Equal(0, s.Errors);
        Assert.Equal(1.0, s.Coverage);
        Assert.Equal(1 - Math.Pow(0.05, 1.0 / 1000), s.UpperBound, 1e-12);
    }

    [Fact]
    public void A_perfect_record_too_small_to_certify_automates_nothing()
    {
        var s = SelectiveThreshold.Select(Descending(298), Enumerable.Repeat(true, 298).ToArray(), 0.01, 0.05);
        Assert.Null(s.Threshold);
        Assert.Equal(0, s.N);
        Assert.Equal(0.0, s.Coverage);
        Assert.Equal(1.0, s.UpperBound);

        var enough = SelectiveThreshold.Select(Descending(299), Enumerable.Repeat(true, 299).ToArray(), 0.01, 0.05);
        Assert.NotNull(enough.Threshold);
    }

    [Fact]
    public void Stops_at_the_first_failure_even_if_a_lower_threshold_would_pass_again()
    {
        // 400 right, then 50 wrong, then 10,000 right: the bottom alone would certify 1 %, but the scan must not
        // jump the block of errors (that would be testing hypotheses out of their fixed order).
        var scores = Descending(10_450, step: 1e-5);
        var correct = Enumerable.Range(0, 10_450).Select(i => i < 400 || i >= 450).ToArray();
        Assert.True(BinomialBounds.ClopperPearsonUpper(50, 10_450, 0.05) <= 0.01, "the premise: the full set would pass");

        var s = SelectiveThreshold.Select(scores, correct, 0.01, 0.05);
        Assert.Equal(scores[399], s.Threshold);
        Assert.Equal(400, s.N);
    }

    [Fact]
    public void Tied_scores_enter_together()
    {
        double[] scores = [.. Enumerable.Repeat(0.99, 300), .. Enumerable.Repeat(0.9, 10)];
        bool[] correct = [.. Enumerable.Repeat(true, 300), .. Enumerable.Repeat(false, 10)];
        var s = SelectiveThreshold.Select(scores, correct, 0.01, 0.05);
        Assert.Equal(0.99, s.Threshold);
        Assert.Equal(300, s.N);
    }

    [Fact]
    public void Only_the_given_candidates_are_chosen()
    {
        var scores = Descending(1000);
        var s = SelectiveThreshold.Select(scores, Enumerable.Repeat(true, 1000).ToArray(), 0.01, 0.05, [0.99, 0.95, 0.925]);
        Assert.Equal(0.925, s.Threshold);
        Assert.Equal(scores.Count(x => x >= 0.925), s.N);
    }

    [Fact]
    public void Agrees_with_a_naive_reference_on_random_data()
    {
        var random = new Random(42);
        for (var trial = 0; trial < 40; trial++)
        {
            var n = random.Next(50, 700);
            var errorScale = random.NextDouble() * 0.1;
            var scores = new double[n];
            var correct = new bool[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = Math.Round(0.5 + 0.5 * random.NextDouble(), 3); // rounding makes ties
                correct[i] = random.NextDouble() >= errorScale * 2 * (1 - scores[i]);
            }
            var alpha = random.NextDouble() < 0.5 ? 0.02 : 0.05;

            var s = SelectiveThreshold.Select(scores, correct, alpha, 0.05);
            var expected = NaiveSelect(scores, correct, alpha, 0.05);
            Assert.Equal(expected, s.Threshold);
            if (s.Threshold is { } t)
            {
                Assert.Equal(scores.Count(x => x >= t), s.N);
                Assert.Equal(scores.Where((x, i) => x >= t && !correct[i]).Count(), s.Errors);
                Assert.True(s.UpperBound <= alpha);
                Assert.Equal(s.N / (double)n, s.Coverage);
            }
        }
    }

    /// <summary>The rule written as plainly as possible: quantile bounds, quadratic scan.</summary>
    private static double? NaiveSelect(double[] scores, bool[] correct, double alpha, double delta)
    {
        double? chosen = null;
        var started = false;
        foreach (var t in scores.Distinct().OrderDescending())
        {
            var n = scores.Count(x => x >= t);
            var k = scores.Where((x, i) => x >= t && !correct[i]).Count();
            var passes = BinomialBounds.ClopperPearsonUpper(k, n, delta) <= alpha;
            var couldPass = BinomialBounds.ClopperPearsonUpper(0, n, delta) <= alpha;
            if (!couldPass && !started)
                continue;
            started = true;
            if (!passes)
                break;
            chosen = t;
        }
        return chosen;
    }

    [Fact]
    public void Thinned_candidates_keep_the_extremes_and_stay_sorted()
    {
        var scores = Descending(1000);
        var thinned = CandidateThresholds.FromConfidences(scores, floor: 0.95, maxCount: 40);
        Assert.InRange(thinned.Length, 30, 41);
        Assert.Equal(scores.Where(x => x >= 0.95).Min(), thinned[^1]);
        Assert.Equal(thinned.OrderDescending(), thinned);
        Assert.All(thinned, t => Assert.True(t >= 0.95));
    }

    [Fact]
    public void Rejects_mismatched_input()
    {
        Assert.Throws<ArgumentException>(() => SelectiveThreshold.Select([0.9, 0.8], [true], 0.01, 0.05));
        Assert.Throws<ArgumentException>(() => SelectiveThreshold.Select([double.NaN], [true], 0.01, 0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectiveThreshold.Select([0.9], [true], 0.0, 0.05));
    }
}
