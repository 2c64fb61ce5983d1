using CxrQa.Core.Calibration;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Tests.Routing;

public class ConfidenceThresholdPolicyTests
{
    [Theory]
    [InlineData(0.80, 0.80, CaseStatus.Automated)]
    [InlineData(0.80, 0.7999, CaseStatus.PendingReview)]
    [InlineData(0.80, 0.19, CaseStatus.Automated)] // a confident Normal
    [InlineData(0.80, 0.2101, CaseStatus.PendingReview)]
    [InlineData(0.95, 0.999, CaseStatus.Automated)]
    [InlineData(0.5, 0.5, CaseStatus.Automated)]
    public void Routes_on_the_threshold_inclusively(double threshold, double pneumoniaProbability, CaseStatus expected)
    {
        var decision = new ConfidenceThresholdPolicy(threshold).Route(pneumoniaProbability);
        Assert.Equal(expected, decision.Status);
        Assert.Equal(expected == CaseStatus.PendingReview, decision.Reasons.Contains(ReasonCodes.LowConfidence));
    }

    [Theory]
    [InlineData(0.49)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Rejects_thresholds_outside_half_to_one(double threshold) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfidenceThresholdPolicy(threshold));
}

public class TemperatureScalingTests
{
    [Theory]
    [InlineData(0.0, 1.0, 0.5)]
    [InlineData(2.0, 1.0, 0.8807970779778823)]
    [InlineData(-2.0, 1.0, 0.11920292202211755)]
    [InlineData(2.0, 2.0, 0.7310585786300049)]
    public void Matches_the_logistic_function(double logit, double t, double expected) =>
        Assert.Equal(expected, TemperatureScaling.Probability(logit, t), 12);

    [Fact]
    public void Never_overflows_or_returns_nan()
    {
        foreach (var z in new[] { -1e6, -800.0, 800.0, 1e6 })
        {
            var p = TemperatureScaling.Probability(z, 1.0);
            Assert.InRange(p, 0.0, 1.0);
        }
    }

    [Fact]
    public void Is_symmetric_and_monotone()
    {
        var previous = 0.0;
        for (var z = -20.0; z <= 20.0; z += 0.25)
        {
            var p = TemperatureScaling.Probability(z, 1.7);
            Assert.Equal(1.0, p + TemperatureScaling.Probability(-z, 1.7), 12);
            Assert.True(p >= previous);
            previous = p;
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_non_positive_temperatures(double t) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Probability(1, t));
}
