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
    public void A_copy_of_the_clean_set_costs_only_the_bonferroni_share_of_delta()
    {
        var (p, labels) = Calibrated(6000, 2);
        var robust = ShiftRobustRiskControl.Fit(p, labels, [new ShiftedScores("same", p)], Options);
        var atHalfDelta = ClassConditionalRiskControl.Fit(p, labels, Options with { Delta = Options.Delta / 2 });
        Assert.NotNull(atHalfDelta.Pneumonia.Threshold);

        Assert.Equal(atHalfDelta.Normal.Threshold, robust.Normal.Threshold);
        Assert.Equal(atHalfDelta.Pneumonia.Threshold, robust.Pneumonia.Threshold);
        Assert.Equal(atHalfDelta.Pneumonia.N, robust.Pneumonia.N);
        Assert.Equal(Options.Delta, robust.Delta);
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
}
