using CxrQa.Core.Monitoring;

namespace CxrQa.Tests.Monitoring;

public sealed class DriftSignalsTests
{
    [Fact]
    public void A_continuous_column_watches_its_upper_tail_and_a_zero_one_column_its_rate()
    {
        var reference = new ReferenceTable(new Dictionary<string, double[]>
        {
            ["score"] = Enumerable.Range(1, 100).Select(i => (double)i).ToArray(),
            ["flag"] = Enumerable.Range(0, 100).Select(i => i < 25 ? 1.0 : 0.0).ToArray(),
        });

        var signals = DriftSignals.Build(reference, new DriftOptions { TailQuantiles = [0.9], TailRateRatio = 3, PredictedRateShift = 0.15 });

        var score = Assert.Single(signals, s => s.Source == "score");
        Assert.Equal("score_high", score.Name);
        Assert.Equal(90, score.Cutoff);
        Assert.Equal(0.10, score.ReferenceRate, 12);
        Assert.Equal(0.30, score.AlternativeRate, 12);
        var flag = Assert.Single(signals, s => s.Source == "flag");
        Assert.Equal("flag_rate", flag.Name);
        Assert.Equal(0.25, flag.ReferenceRate, 12);
        Assert.Equal(0.40, flag.AlternativeRate, 12);
    }

    [Fact]
    public void An_event_never_seen_in_the_reference_still_has_a_positive_rate()
    {
        var reference = new ReferenceTable(new Dictionary<string, double[]> { ["flag"] = new double[99] });

        var flag = Assert.Single(DriftSignals.Build(reference, new DriftOptions()));

        Assert.Equal(0.01, flag.ReferenceRate, 12);
        Assert.True(double.IsFinite(flag.LogLikelihoodRatio(true)));
    }

    [Fact]
    public void A_film_without_the_value_is_skipped_by_that_signal()
    {
        var signal = new DriftSignal("ood_score_high", "ood_score", 10, 0.1, 0.3, "");

        Assert.Null(signal.Event(new Dictionary<string, double> { ["uncertainty"] = 0.2 }));
        Assert.Null(signal.Event(new Dictionary<string, double> { ["ood_score"] = double.NaN }));
        Assert.True(signal.Event(new Dictionary<string, double> { ["ood_score"] = 11 }));
        Assert.False(signal.Event(new Dictionary<string, double> { ["ood_score"] = 10 }));
    }
}
