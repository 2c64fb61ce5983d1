using CxrQa.Core.Monitoring;

namespace CxrQa.Tests.Monitoring;

public sealed class BernoulliCusumTests
{
    private static readonly DriftSignal Signal = new("x_high", "x", 0, 0.1, 0.3, "");

    [Fact]
    public void An_event_adds_log_r1_over_r0_and_a_non_event_subtracts_down_to_zero()
    {
        var s = BernoulliCusum.Step(0, Signal, happened: true);
        Assert.Equal(Math.Log(3), s, 12);
        s = BernoulliCusum.Step(s, Signal, happened: false);
        Assert.Equal(Math.Log(3) + Math.Log(0.7 / 0.9), s, 12);
        for (var i = 0; i < 20; i++)
            s = BernoulliCusum.Step(s, Signal, happened: false);
        Assert.Equal(0, s);
    }

    [Fact]
    public void Under_the_reference_rate_the_statistic_drifts_down_and_under_the_alternative_up()
    {
        // E[LLR] is -KL(r0 || r1) under r0 and +KL(r1 || r0) under r1.
        var underReference = 0.1 * Signal.LogLikelihoodRatio(true) + 0.9 * Signal.LogLikelihoodRatio(false);
        var underAlternative = 0.3 * Signal.LogLikelihoodRatio(true) + 0.7 * Signal.LogLikelihoodRatio(false);
        Assert.True(underReference < 0);
        Assert.True(underAlternative > 0);
    }
}
