using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class PrecisionRecallCurveTests
{
    [Fact]
    public void Average_precision_matches_scikit_learn()
    {
        // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333...
        var pr = PrecisionRecallCurve.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
        Assert.Equal(5.0 / 6, pr.AveragePrecision, 12);
        Assert.Equal(0.5, pr.Prevalence);
        Assert.Equal([0.5, 0.5, 1, 1], pr.Recall);
        Assert.Equal([1, 0.5, 2.0 / 3, 0.5], pr.Precision);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Average_precision_is_in_range_rank_only_and_one_for_a_perfect_score(int seed)
    {
        var (s, y) = AucTests.Random(seed, 400);
        var pr = PrecisionRecallCurve.Compute(s, y);
        Assert.InRange(pr.AveragePrecision, 0, 1);
        Assert.Equal(1.0, pr.Recall[^1], 12);
        Assert.Equal(pr.Prevalence, pr.Precision[^1], 12);
        var squashed = PrecisionRecallCurve.Compute(s.Select(v => Math.Exp(3 * v)).ToArray(), y);
        Assert.Equal(pr.AveragePrecision, squashed.AveragePrecision, 12);
        var perfect = PrecisionRecallCurve.Compute(y.Select(l => (double)l).ToArray(), y);
        Assert.Equal(1.0, perfect.AveragePrecision, 12);
    }

    [Fact]
    public void Tied_scores_switch_together()
    {
        var pr = PrecisionRecallCurve.Compute([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]);
        Assert.Single(pr.Thresholds);
        Assert.Equal(0.5, pr.AveragePrecision, 12);
    }
}
