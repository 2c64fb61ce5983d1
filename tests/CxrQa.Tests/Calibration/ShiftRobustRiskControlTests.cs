using CxrQa.Core.Calibration;

namespace CxrQa.Tests.Calibration;

public class ShiftRobustRiskControlTests
{
    /// <summary>Calibrated-looking data: p(pneumonia) spread over [0,1], labels drawn from it, so errors concentrate near 0.5.</summary>
    private static (double[] P, int[] Labels) Calibrated(int n, int seed)
    {
        var random = new Random(seed);
        var p = new double[n];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var r = Math.Pow(random.NextDouble(), 4); // most films confidently one way, a tail of hard ones
            p[i] = random.NextDouble() < 0.5 ? r / 2 : 1 - r / 2;
            labels[i] = random.NextDouble() < p[i] ? 1 : 0;
        }
        return (p, labels);
    }

    private static readonly RiskControlOptions Options = new() { AlphaNormal = 0.02, AlphaPneumonia = 0.02, Delta = 0.05 };

    [Fact]
    public void Thresholds_are_at_least_every_sets_own_threshold()
    {
        var (p, labels) = Calibrated(6000, 1);
        var shifted = new[]
        {
            new ShiftedScores("toward_pneumonia", p.Select(v => Math.Min(1, v * 1.01)).ToArray()),
            new ShiftedScores("noisier", p.Select((v, i) => Math.Clamp(v + (i % 7 - 3) * 0.003, 0, 1)).ToArray()),
        };

        var robust = ShiftRobustRiskControl.Fit(p, labels, shifted, Options);

        Assert.Equal(3, robust.ShiftScenarios!.Count);
        foreach (var s in robust.ShiftScenarios)
        {
            if (robust.Pneumonia.Threshold is { } t && s.PneumoniaThreshold is { } u) Assert.True(t >= u);
            if (robust.Normal.Threshold is { } tn && s.NormalThreshold is { } un) Assert.True(tn >= un);
        }
        // Null exactly when some set could not certify the class; otherwise the clean evidence at it meets alpha.
        Assert.Equal(robust.ShiftScenarios.Any(s => s.PneumoniaThreshold is null), robust.Pneumonia.Threshold is null);
        Assert.Equal(robust.ShiftScenarios.Any(s => s.NormalThreshold is null), robust.Normal.Threshold is null);
        Assert.True(robust.Pneumonia.Threshold is not null || robust.Normal.Threshold is not null, "the data allow some automation");
        if (robust.Pneumonia.Threshold is not null) Assert.True(robust.Pneumonia.UpperBound <= Options.AlphaPneumonia);
    }

    [Fact]
    public void A_copy_of_the_clean_set_costs_nothing_because_each_set_is_tested_at_the_full_delta()
    {
        // Intersection-union: one shared threshold, every set at delta. A Bonferroni split would have tested both at
        // delta / 2 and needed more evidence for the same promise.
        var (p, labels) = Calibrated(6000, 2);
        var robust = ShiftRobustRiskControl.Fit(p, labels, [new ShiftedScores("same", p)], Options);
        var clean = ClassConditionalRiskControl.Fit(p, labels, Options);
        Assert.NotNull(clean.Pneumonia.Threshold);

        Assert.Equal(clean.Normal.Threshold, robust.Normal.Threshold);
        Assert.Equal(clean.Pneumonia.Threshold, robust.Pneumonia.Threshold);
        Assert.Equal(clean.Pneumonia.N, robust.Pneumonia.N);
        Assert.Equal(clean.Pneumonia.UpperBound, robust.Pneumonia.UpperBound, 1e-12);
        Assert.Equal(Options.Delta, robust.Delta);
        Assert.Equal(Options.Delta, robust.DeltaPerClass);
    }

    [Fact]
    public void Delta_is_split_only_across_classes_when_they_are_made_joint()
    {
        var (p, labels) = Calibrated(6000, 2);
        var joint = Options with { JointAcrossClasses = true };
        var shifted = new[] { new ShiftedScores("a", p), new ShiftedScores("b", p), new ShiftedScores("c", p) };

        var robust = ShiftRobustRiskControl.Fit(p, labels, shifted, joint);
        var clean = ClassConditionalRiskControl.Fit(p, labels, joint);

        Assert.Equal(Options.Delta / 2, robust.DeltaPerClass);
        Assert.Equal(clean.Pneumonia.Threshold, robust.Pneumonia.Threshold);
        Assert.Equal(clean.Normal.Threshold, robust.Normal.Threshold);
    }

    [Fact]
    public void A_shift_that_cannot_be_certified_stops_automation_of_that_class()
    {
        var (p, labels) = Calibrated(6000, 3);
        // Under this "shift" every film looks like a confident pneumonia: Pneumonia answers cannot be certified.
        var broken = new ShiftedScores("everything_pneumonia", p.Select(_ => 0.99).ToArray());

        var robust = ShiftRobustRiskControl.Fit(p, labels, [broken], Options);

        Assert.Null(robust.Pneumonia.Threshold);
        Assert.Equal(0, robust.Pneumonia.N);
    }

    [Fact]
    public void A_shift_whose_damaged_films_the_gates_catch_no_longer_blocks_automation()
    {
        var (p, labels) = Calibrated(6000, 4);
        // The shift turns every 5th film into a confident wrong answer; the quality gate flags exactly those films
        // under the shift, so production would send them to review.
        var damaged = Enumerable.Range(0, p.Length).Select(i => i % 5 == 0).ToArray();
        var shiftedP = p.Select((v, i) => damaged[i] ? (labels[i] == 1 ? 0.0 : 1.0) : v).ToArray();

        var unmasked = ShiftRobustRiskControl.Fit(p, labels, [new ShiftedScores("damaging", shiftedP)], Options);
        var masked = ShiftRobustRiskControl.Fit(p, labels,
            [new ShiftedScores("damaging", shiftedP, [.. damaged.Select(d => !d)])], Options);

        Assert.Null(unmasked.Pneumonia.Threshold);
        Assert.Null(unmasked.Normal.Threshold);
        Assert.NotNull(masked.Pneumonia.Threshold);
        var scenario = masked.ShiftScenarios![1];
        Assert.Equal(p.Length - damaged.Count(d => d), scenario.EligibleCases);
        Assert.Equal(scenario.EligibleCases, scenario.UnitsCertified);
        Assert.Null(masked.ShiftScenarios[0].EligibleCases);
    }

    [Fact]
    public void A_shift_the_gates_send_almost_entirely_to_review_takes_no_part_and_is_marked_gated_out()
    {
        var (p, labels) = Calibrated(6000, 5);
        // Under this shift every film would be a confident wrong answer, but the gates pass only 1 film in 100.
        var shiftedP = p.Select((_, i) => labels[i] == 1 ? 0.0 : 1.0).ToArray();
        var mostlyGated = Enumerable.Range(0, p.Length).Select(i => i % 100 == 0).ToArray();
        var halfGated = Enumerable.Range(0, p.Length).Select(i => i % 2 == 0).ToArray();

        var gated = ShiftRobustRiskControl.Fit(p, labels, [new ShiftedScores("gated", shiftedP, mostlyGated)], Options);
        var clean = ShiftRobustRiskControl.Fit(p, labels, [], Options);
        // Half the films still pass: that world is large enough to speak, and it refutes every threshold.
        var notGated = ShiftRobustRiskControl.Fit(p, labels, [new ShiftedScores("half", shiftedP, halfGated)], Options);

        Assert.Equal(clean.Pneumonia.Threshold, gated.Pneumonia.Threshold);
        Assert.NotNull(gated.Pneumonia.Threshold);
        Assert.Equal(["normal", "pneumonia"], gated.ShiftScenarios![1].GatedOut!);
        Assert.Null(notGated.Pneumonia.Threshold);
        Assert.Null(notGated.ShiftScenarios![1].GatedOut);
    }

    [Fact]
    public void Per_patient_units_apply_to_every_set_and_the_clean_set_uses_its_own_mask()
    {
        var (p, labels) = Calibrated(6000, 5);
        var patients = Enumerable.Range(0, p.Length).Select(i => $"patient-{i / 3}").ToArray(); // 3 films each
        var eligible = Enumerable.Range(0, p.Length).Select(i => i % 7 != 0).ToArray();
        var units = new CertificationUnits(patients, eligible);

        var robust = ShiftRobustRiskControl.Fit(p, labels, [new ShiftedScores("same", p)], Options, units);

        Assert.Equal("patients", robust.Units);
        Assert.Equal(2000, robust.PatientsCertified);
        Assert.Equal(eligible.Count(e => e), robust.EligibleCases);
        Assert.Equal(2000, robust.ShiftScenarios![0].UnitsCertified);
        // The "same" set has no mask of its own, so all 6000 films are eligible there, still one per patient.
        Assert.Equal(2000, robust.ShiftScenarios[1].UnitsCertified);
        Assert.Equal(2000, robust.Normal.PredictedCases + robust.Pneumonia.PredictedCases);
    }
}
