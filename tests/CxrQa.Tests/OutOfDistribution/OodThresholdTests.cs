using CxrQa.Core.OutOfDistribution;

namespace CxrQa.Tests.OutOfDistribution;

public sealed class OodThresholdTests
{
    [Fact]
    public void Takes_the_conformal_order_statistic()
    {
        var scores = Enumerable.Range(1, 999).Select(i => (double)i).Reverse().ToArray();
        // n = 999, q = 0.99: rank ceil(1000 x 0.99) = 990.
        var t = OodThreshold.FromScores(scores, 99);
        Assert.Equal(990.0, t.Value);
        Assert.Equal(999, t.CalibrationCases);
        Assert.False(t.IsOutOfDistribution(990.0));
        Assert.True(t.IsOutOfDistribution(990.5));
        Assert.True(t.IsOutOfDistribution(double.NaN));
    }

    [Fact]
    public void False_alarms_on_fresh_in_distribution_data_match_the_percentile()
    {
        const int d = 16;
        var world = new GaussianEmbeddings(d, seed: 11);
        var (train, labels) = world.Draw(3000);
        var detector = MahalanobisDetector.Fit(train, d, labels);

        // Average over several calibration splits so the check is about the rule, not one lucky split.
        var alarms = 0.0;
        const int splits = 5;
        for (var split = 0; split < splits; split++)
        {
            var threshold = OodThreshold.FromScores(GaussianEmbeddings.Scores(detector, world.Draw(2000).Rows), 99.0);
            var fresh = GaussianEmbeddings.Scores(detector, world.Draw(20_000).Rows);
            alarms += fresh.Count(threshold.IsOutOfDistribution) / (double)fresh.Length;
        }
        // Expected 1 % (between 1 % - 1/2001 and 1 %); 5 splits of 2000 give a standard error near 0.1 %.
        Assert.InRange(alarms / splits, 0.006, 0.014);
    }

    [Fact]
    public void Too_few_scores_cannot_certify_a_high_percentile()
    {
        // q / (1 - q) = 199 for 99.5 %.
        Assert.Throws<ArgumentException>(() => OodThreshold.FromScores(new double[198], 99.5));
        Assert.Equal(0.0, OodThreshold.FromScores(new double[199], 99.5).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => OodThreshold.FromScores(new double[500], 100));
        Assert.Throws<ArgumentException>(() => OodThreshold.FromScores([double.NaN, 1, 2], 50));
    }
}
