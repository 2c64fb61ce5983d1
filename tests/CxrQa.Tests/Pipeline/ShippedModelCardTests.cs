using CxrQa.Core.Model;

namespace CxrQa.Tests.Pipeline;

/// <summary>What the shipped model's card promises, checked against the numbers it records.</summary>
public sealed class ShippedModelCardTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    private ModelCard Card => shipped.Model.Card;

    [Fact]
    public void Reports_a_patient_grouped_cross_validated_auc_of_at_least_098()
    {
        Assert.True(Card.ValidationMetrics.TryGetValue("cv_auc", out var auc) || Card.ValidationMetrics.TryGetValue("val_auc", out auc));
        Assert.InRange(auc, 0.98, 1.0);
        Assert.Matches("^[0-9a-f]{64}$", Card.Training!.DataManifestSha256!);
    }

    [Fact]
    public void Records_its_shift_benchmark_and_no_recorded_scenario_breaks_the_promise_on_dev_shift_or_framing()
    {
        // The card's benchmark is cleared by recalibration, so its presence means it measured this trust layer.
        var benchmark = Card.ShiftBenchmark;
        Assert.NotNull(benchmark);
        Assert.Contains("--shift-benchmark", benchmark.Command);
        var rows = benchmark.Scenarios.ToDictionary(r => r.Name);
        Assert.Equal(0, rows["dev-shift (other hospitals, mostly adults)"].AutomatedWrong);
        var alpha = Card.DecisionPolicy.RiskControl!.Pneumonia.Alpha;
        foreach (var framing in benchmark.Scenarios.Where(r => r.Name.StartsWith("framing probe", StringComparison.Ordinal)))
            Assert.True((double)framing.AutomatedWrong / Math.Max(1, framing.Automated) <= alpha, $"{framing.Name}: {framing.AutomatedWrong}/{framing.Automated}");
    }

    [Fact]
    public void Is_calibrated_on_held_out_patients()
    {
        var calibration = Card.Calibration!;
        Assert.True(calibration.Cases >= 500);
        Assert.True(calibration.EceAfter <= 0.03, $"ECE after scaling {calibration.EceAfter}");
        Assert.Equal(calibration.Temperature, Card.Temperature);
    }

    [Fact]
    public void Certified_thresholds_keep_the_realised_calibration_error_within_alpha()
    {
        var risk = Card.DecisionPolicy.RiskControl!;
        Assert.Equal(DecisionPolicyCard.RiskControlled, Card.DecisionPolicy.Mode);
        foreach (var c in new[] { risk.Normal, risk.Pneumonia })
        {
            if (c.Threshold is null) continue;
            Assert.True(c.UpperBound <= c.CertifiedAlpha + 1e-12);
            Assert.True((double)c.Errors / c.N <= c.Alpha, $"{c.Errors}/{c.N} > {c.Alpha}");
        }
        Assert.False(string.IsNullOrWhiteSpace(Card.DecisionPolicy.Description));
    }

    [Fact]
    public void The_recorded_calibration_scores_reproduce_the_card()
    {
        var scores = CxrQa.Core.Trust.CalibrationScores.Load(Path.Combine(shipped.Model.Directory, Card.Calibration!.ScoresFile));
        var risk = Card.DecisionPolicy.RiskControl!;
        Assert.Equal(Card.Calibration.Cases, scores.Logits.Length);
        Assert.NotNull(scores.Patients);
        Assert.NotNull(scores.Eligible);

        // The eligibility mask is exactly "passes the OOD gate and every shift gate" at the card's thresholds.
        var gates = Card.ShiftGates!;
        for (var i = 0; i < scores.Logits.Length; i++)
        {
            var passes = scores.OodScores[i] <= Card.OutOfDistribution!.Threshold
                && (gates.FeatureShift is null || scores.FeatureShiftScores![i] <= gates.FeatureShift.Threshold)
                && (gates.EnsembleSpread is null || scores.EnsembleSpreads![i] <= gates.EnsembleSpread.Threshold);
            Assert.True(passes == scores.Eligible![i], $"film {i}: eligible {scores.Eligible[i]} but the gates say {passes}");
        }

        // Re-certifying the clean set from the recorded scores gives the card's clean threshold, and the shipped
        // (shift-robust) threshold is never below it.
        var options = new CxrQa.Core.Calibration.RiskControlOptions
        {
            AlphaNormal = risk.Normal.Alpha, AlphaPneumonia = risk.Pneumonia.Alpha, Delta = risk.Delta,
            SafetyMargin = risk.SafetyMargin, ThresholdFloor = risk.ThresholdFloor, JointAcrossClasses = risk.DeltaPerClass < risk.Delta,
        };
        var probabilities = scores.Logits.Select(z => CxrQa.Core.Calibration.TemperatureScaling.Probability(z, Card.Temperature)).ToArray();
        var clean = CxrQa.Core.Calibration.ClassConditionalRiskControl.Fit(probabilities, scores.Labels, options, scores.Units());
        var cleanCard = risk.ShiftScenarios!.Single(s => s.Name == "clean");
        Assert.Equal(cleanCard.PneumoniaThreshold, clean.Pneumonia.Threshold);
        Assert.Equal(cleanCard.NormalThreshold, clean.Normal.Threshold);
        if (risk.Pneumonia.Threshold is { } shippedThreshold)
            Assert.True(shippedThreshold >= clean.Pneumonia.Threshold, $"{shippedThreshold} < clean {clean.Pneumonia.Threshold}");
        Assert.Equal("patients", risk.Units);
    }
}
