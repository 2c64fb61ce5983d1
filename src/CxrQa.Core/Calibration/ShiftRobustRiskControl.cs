using CxrQa.Core.Routing;

namespace CxrQa.Core.Calibration;

/// <summary>Calibrated pneumonia probabilities of the calibration films under one simulated shift.</summary>
public sealed record ShiftedScores(string Scenario, double[] PneumoniaProbabilities);

/// <summary>
/// Risk control that must hold on the clean calibration films AND on each simulated shift of them. Each of the
/// 1 + K sets is certified at delta / (1 + K) (Bonferroni), and each class's threshold is the highest of the sets'
/// thresholds: if any set cannot certify a class, that class is never automated. Answers at or above a higher
/// threshold were all tested (and passed) by every set's fixed-sequence scan, so each set's promise still holds there.
/// The cost is coverage, reported per scenario on the card.
/// </summary>
public static class ShiftRobustRiskControl
{
    public static RiskControlCard Fit(ReadOnlySpan<double> cleanProbabilities, ReadOnlySpan<int> labels,
        IReadOnlyList<ShiftedScores> shifts, RiskControlOptions options)
    {
        var perSet = options with { Delta = options.Delta / (1 + shifts.Count) };
        var clean = ClassConditionalRiskControl.Fit(cleanProbabilities, labels, perSet);
        var shifted = new List<(string Scenario, RiskControlCard Card)>(shifts.Count);
        foreach (var s in shifts)
            shifted.Add((s.Scenario, ClassConditionalRiskControl.Fit(s.PneumoniaProbabilities, labels, perSet)));

        double? Robust(Func<RiskControlCard, ClassRiskCard> cls) =>
            shifted.Aggregate(cls(clean).Threshold, (t, s) => t is null || cls(s.Card).Threshold is not { } u ? null : Math.Max(t.Value, u));

        var normal = Restate(clean.Normal, Robust(c => c.Normal), cleanProbabilities, labels, ScreeningClass.Normal, perSet.Delta);
        var pneumonia = Restate(clean.Pneumonia, Robust(c => c.Pneumonia), cleanProbabilities, labels, ScreeningClass.Pneumonia, perSet.Delta);
        return clean with
        {
            Delta = options.Delta,
            Normal = normal,
            Pneumonia = pneumonia,
            OverallCoverage = labels.Length == 0 ? 0 : (normal.N + pneumonia.N) / (double)labels.Length,
            ShiftScenarios = shifted.Select(s => new ShiftScenarioCard
            {
                Name = s.Scenario,
                NormalThreshold = s.Card.Normal.Threshold,
                PneumoniaThreshold = s.Card.Pneumonia.Threshold,
                Coverage = s.Card.OverallCoverage,
            }).Prepend(new ShiftScenarioCard
            {
                Name = "clean",
                NormalThreshold = clean.Normal.Threshold,
                PneumoniaThreshold = clean.Pneumonia.Threshold,
                Coverage = clean.OverallCoverage,
            }).ToList(),
        };
    }

    /// <summary>The clean set's evidence at the robust threshold (what a radiologist reads on the card).</summary>
    private static ClassRiskCard Restate(ClassRiskCard clean, double? threshold, ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels,
        ScreeningClass cls, double delta)
    {
        var predicted = 0;
        var n = 0;
        var errors = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = BinaryPrediction.FromPneumoniaProbability(probabilities[i]);
            if (p.Class != cls) continue;
            predicted++;
            if (threshold is not { } t || p.Confidence < t) continue;
            n++;
            if ((p.Class == ScreeningClass.Pneumonia) != (labels[i] == 1)) errors++;
        }
        return clean with
        {
            Threshold = threshold,
            N = threshold is null ? 0 : n,
            Errors = threshold is null ? 0 : errors,
            UpperBound = threshold is null || n == 0 ? 1 : BinomialBounds.ClopperPearsonUpper(errors, n, delta),
            Coverage = predicted == 0 || threshold is null ? 0 : (double)n / predicted,
        };
    }
}
