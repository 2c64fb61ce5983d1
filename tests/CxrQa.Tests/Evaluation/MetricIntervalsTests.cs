using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class MetricIntervalsTests
{
    [Fact]
    public void Every_metric_gets_a_seeded_interval_around_its_estimate()
    {
        var (s, y) = AucTests.Random(4, 300);
        var a = MetricIntervals.Compute(s, y, resamples: 300, seed: 2);
        var b = MetricIntervals.Compute(s, y, resamples: 300, seed: 2);
        Assert.Equal(MetricIntervals.Names, a.Select(i => i.Name));
        Assert.Equal(a.Select(i => i.Interval), b.Select(i => i.Interval));
        var cm = ConfusionMatrix.At(s, y, 0.5);
        Assert.Equal(cm.Npv, a.Single(i => i.Name == "npv").Interval.Estimate);
        Assert.Equal(Auc.Compute(s, y), a.Single(i => i.Name == "auc").Interval.Estimate);
        Assert.All(a, i => Assert.InRange(i.Interval.Estimate, i.Interval.Lower, i.Interval.Upper));
    }

    [Fact]
    public void Npv_is_the_precision_of_normal_answers()
    {
        var cm = new ConfusionMatrix(TrueNegatives: 30, FalsePositives: 5, FalseNegatives: 10, TruePositives: 55);
        Assert.Equal(30 / 40.0, cm.Npv, 12);
        Assert.True(double.IsNaN(new ConfusionMatrix(0, 3, 0, 3).Npv));
    }
}
