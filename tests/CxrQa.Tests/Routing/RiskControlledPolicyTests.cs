using System.Text.Json;
using CxrQa.Core.Calibration;
using CxrQa.Core.Model;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Tests.Routing;

public sealed class RiskControlledPolicyTests
{
    [Theory]
    [InlineData(0.99, CaseStatus.Automated)]    // Pneumonia, confidence 0.99 >= 0.95
    [InlineData(0.95, CaseStatus.Automated)]    // exactly at the threshold
    [InlineData(0.90, CaseStatus.PendingReview)]
    [InlineData(0.01, CaseStatus.Automated)]    // Normal, confidence 0.99 >= 0.97
    [InlineData(0.04, CaseStatus.PendingReview)] // Normal, confidence 0.96 < 0.97
    [InlineData(0.5, CaseStatus.PendingReview)] // p = 0.5 is a Pneumonia answer of confidence 0.5
    public void Automates_only_at_or_above_the_predicted_class_threshold(double p, CaseStatus expected)
    {
        var policy = new RiskControlledPolicy(normalThreshold: 0.97, pneumoniaThreshold: 0.95);
        var decision = policy.Route(p);
        Assert.Equal(expected, decision.Status);
        Assert.Equal(expected == CaseStatus.Automated ? [] : new[] { ReasonCodes.LowConfidence }, decision.Reasons);
    }

    [Fact]
    public void A_class_without_a_certified_threshold_is_never_automated()
    {
        var policy = new RiskControlledPolicy(normalThreshold: null, pneumoniaThreshold: 0.9);
        Assert.Equal(CaseStatus.PendingReview, policy.Route(0.0).Status);
        Assert.Equal(CaseStatus.Automated, policy.Route(1.0).Status);
        Assert.Equal(CaseStatus.PendingReview, policy.Route(new BinaryPrediction(ScreeningClass.Pneumonia, double.NaN)).Status);
    }

    [Fact]
    public void Rejects_thresholds_outside_the_unit_interval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RiskControlledPolicy(1.2, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RiskControlledPolicy(0.9, double.NaN));
    }

    [Fact]
    public void Prediction_follows_the_screening_rule()
    {
        Assert.Equal(new BinaryPrediction(ScreeningClass.Pneumonia, 0.5), BinaryPrediction.FromPneumoniaProbability(0.5));
        Assert.Equal(new BinaryPrediction(ScreeningClass.Normal, 0.75), BinaryPrediction.FromPneumoniaProbability(0.25));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryPrediction.FromPneumoniaProbability(double.NaN));
    }

    [Fact]
    public void Fitted_card_is_consistent_and_drives_the_policy()
    {
        var (p, labels) = ConfidentCalibratedModel(new Random(3), 4000);
        var card = ClassConditionalRiskControl.Fit(p, labels, new RiskControlOptions());

        Assert.Equal(0.01, card.Normal.Alpha);
        Assert.Equal(0.02, card.Pneumonia.Alpha);
        Assert.Equal(4000, card.Normal.PredictedCases + card.Pneumonia.PredictedCases);
        foreach (var (cls, c) in new[] { (ScreeningClass.Normal, card.Normal), (ScreeningClass.Pneumonia, card.Pneumonia) })
        {
            Assert.NotNull(c.Threshold);
            var confidences = p.Select(BinaryPrediction.FromPneumoniaProbability).Where(b => b.Class == cls).ToArray();
            Assert.Equal(confidences.Count(b => b.Confidence >= c.Threshold), c.N);
            Assert.True(c.UpperBound <= c.CertifiedAlpha);
            Assert.Equal(c.N / (double)c.PredictedCases, c.Coverage, 1e-12);
        }
        Assert.Equal((card.Normal.N + card.Pneumonia.N) / 4000.0, card.OverallCoverage, 1e-12);

        var policy = RiskControlledPolicy.FromCard(card);
        var automated = p.Count(x => policy.Route(x).Status == CaseStatus.Automated);
        Assert.Equal(card.Normal.N + card.Pneumonia.N, automated);
    }

    [Fact]
    public void A_safety_margin_and_a_floor_only_ever_raise_thresholds()
    {
        var (p, labels) = ConfidentCalibratedModel(new Random(4), 6000);
        var plain = ClassConditionalRiskControl.Fit(p, labels, new RiskControlOptions());
        var margin = ClassConditionalRiskControl.Fit(p, labels, new RiskControlOptions { SafetyMargin = 0.5 });
        var floor = ClassConditionalRiskControl.Fit(p, labels, new RiskControlOptions { ThresholdFloor = 0.995 });
        var joint = ClassConditionalRiskControl.Fit(p, labels, new RiskControlOptions { JointAcrossClasses = true });

        Assert.Equal(0.005, margin.Normal.CertifiedAlpha);
        Assert.Equal(0.025, joint.DeltaPerClass);
        // Not the joint card: its larger minimum sample can step over an early failure, so it may even go lower.
        Assert.NotNull(plain.Normal.Threshold);
        Assert.NotNull(plain.Pneumonia.Threshold);
        foreach (var other in new[] { margin, floor })
        {
            Assert.True((other.Normal.Threshold ?? 2) >= plain.Normal.Threshold);
            Assert.True((other.Pneumonia.Threshold ?? 2) >= plain.Pneumonia.Threshold);
            Assert.True(other.OverallCoverage <= plain.OverallCoverage);
        }
        Assert.All(new[] { floor.Normal.Threshold, floor.Pneumonia.Threshold }, t => Assert.True(t is null or >= 0.995));
    }

    /// <summary>Half predicted each way, confidence 1 - u^4 / 2 (mostly confident), wrong with probability 1 - confidence.</summary>
    private static (double[] P, int[] Labels) ConfidentCalibratedModel(Random random, int n)
    {
        var p = new double[n];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var confidence = 1 - 0.5 * Math.Pow(random.NextDouble(), 4);
            var pneumonia = random.NextDouble() < 0.5;
            p[i] = pneumonia ? confidence : 1 - confidence;
            labels[i] = random.NextDouble() < p[i] ? 1 : 0;
        }
        return (p, labels);
    }

    [Fact]
    public void Card_survives_the_model_card_json_settings()
    {
        var card = new RiskControlCard
        {
            Delta = 0.05,
            DeltaPerClass = 0.05,
            Normal = new ClassRiskCard { Alpha = 0.01, CertifiedAlpha = 0.01, Threshold = null, N = 0, Errors = 0, UpperBound = 1, Coverage = 0, PredictedCases = 10 },
            Pneumonia = new ClassRiskCard { Alpha = 0.02, CertifiedAlpha = 0.02, Threshold = 0.97, N = 400, Errors = 1, UpperBound = 0.0118, Coverage = 0.4, PredictedCases = 1000 },
            OverallCoverage = 0.396,
            CalibrationCases = 1010,
        };
        var json = JsonSerializer.Serialize(card, ModelCard.JsonOptions);
        Assert.Contains("\"threshold\": 0.97", json);
        Assert.Contains("\"overall_coverage\"", json);
        Assert.Equal(card, JsonSerializer.Deserialize<RiskControlCard>(json, ModelCard.JsonOptions));
    }

    [Fact]
    public void Rejects_bad_options()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassConditionalRiskControl.Fit([0.9], [1], new RiskControlOptions { SafetyMargin = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassConditionalRiskControl.Fit([0.9], [1], new RiskControlOptions { AlphaNormal = 1 }));
        Assert.Throws<ArgumentException>(() => ClassConditionalRiskControl.Fit([0.9], [3], new RiskControlOptions()));
    }
}
