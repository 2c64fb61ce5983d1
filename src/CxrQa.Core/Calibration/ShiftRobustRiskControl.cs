using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Calibration;

/// <summary>Calibrated pneumonia probabilities of the calibration films under one simulated shift.</summary>
/// <param name="Scenario">The shift's name (for the card).</param>
/// <param name="PneumoniaProbabilities">One per calibration film, same order as the clean set.</param>
/// <param name="Eligible">
/// Which films still pass every gate under this shift (a blurred film may fail the quality gate its clean copy
/// passed); null: all.
/// </param>
public sealed record ShiftedScores(string Scenario, double[] PneumoniaProbabilities, bool[]? Eligible = null);

/// <summary>
/// Risk control that must hold on the clean calibration films AND on each simulated shift of them: each set is tested
/// at the full delta (split across classes only when joint), and each class's threshold is the highest of the sets'
/// thresholds; if any set cannot certify a class, that class is never automated. The cost is coverage, reported per
/// scenario on the card.
/// </summary>
/// <remarks>
/// Why no Bonferroni split over the sets (intersection-union): the threshold is shared. Call a threshold safe in a
/// world when every threshold at or above it keeps alpha there (what a fixed-sequence scan certifies); safety then
/// only gets easier as the threshold rises. Let s0 be the world (set) whose true safe region starts
/// highest; s0 is fixed by the populations, not by the sample. The shared threshold is unsafe in some world only if it
/// lies below that start, and since it is at least s0's own threshold, s0's own fixed-sequence scan must then have
/// passed a threshold that is unsafe in s0: probability at most delta. So one delta covers all sets together (and any
/// mixture of them), exactly what Bonferroni bought at delta / (1 + K) with far more evidence needed.
/// </remarks>
public static class ShiftRobustRiskControl
{
    public static RiskControlCard Fit(ReadOnlySpan<double> cleanProbabilities, ReadOnlySpan<int> labels,
        IReadOnlyList<ShiftedScores> shifts, RiskControlOptions options) =>
        Fit(cleanProbabilities, labels, shifts, options, units: null);

    /// <param name="units">
    /// Patients of the calibration films (shared by every set) and the clean set's eligibility; each shifted set uses
    /// its own <see cref="ShiftedScores.Eligible"/>. Null: every film an independent, eligible answer.
    /// </param>
    public static RiskControlCard Fit(ReadOnlySpan<double> cleanProbabilities, ReadOnlySpan<int> labels,
        IReadOnlyList<ShiftedScores> shifts, RiskControlOptions options, CertificationUnits? units)
    {
        var clean = ClassConditionalRiskControl.FitSet(cleanProbabilities, labels, options, units, units?.Eligible);
        var shifted = new List<(ShiftedScores Set, RiskControlCard Card)>(shifts.Count);
        foreach (var s in shifts)
            shifted.Add((s, ClassConditionalRiskControl.FitSet(s.PneumoniaProbabilities, labels, options, units, s.Eligible)));

        // A shifted set whose gates send most of its films to review (fewer than half as many eligible as the clean set)
        // and leave fewer units of a class than a perfect record needs can neither certify nor refute a threshold: it
        // takes no part for that class, and the card says so (gated_out) rather than letting working gates block
        // automation everywhere.
        var cleanEligible = units?.Eligible?.Count(e => e) ?? labels.Length;
        var films = labels.Length;
        var eligibleOf = shifts.ToDictionary(s => s.Scenario, s => s.Eligible?.Count(e => e) ?? films);
        bool GatedOut(string scenario, RiskControlCard card, Func<RiskControlCard, ClassRiskCard> cls) =>
            eligibleOf[scenario] * 2 < cleanEligible
            && cls(card).PredictedCases < BinomialBounds.MinimumSampleForZeroErrors(cls(card).CertifiedAlpha, card.DeltaPerClass);
        double? Robust(Func<RiskControlCard, ClassRiskCard> cls) =>
            shifted.Where(s => !GatedOut(s.Set.Scenario, s.Card, cls))
                .Aggregate(cls(clean).Threshold, (t, s) => t is null || cls(s.Card).Threshold is not { } u ? null : Math.Max(t.Value, u));

        var sample = CertificationSample.Indices(labels.Length, units, units?.Eligible);
        var normalThreshold = Robust(c => c.Normal);
        var pneumoniaThreshold = Robust(c => c.Pneumonia);
        var normal = Restate(clean.Normal, normalThreshold, cleanProbabilities, labels, sample, ScreeningClass.Normal, clean.DeltaPerClass);
        var pneumonia = Restate(clean.Pneumonia, pneumoniaThreshold, cleanProbabilities, labels, sample, ScreeningClass.Pneumonia, clean.DeltaPerClass);
        return clean with
        {
            Normal = normal,
            Pneumonia = pneumonia,
            OverallCoverage = ClassConditionalRiskControl.AutomatedFilmFraction(cleanProbabilities, units?.Eligible, normalThreshold, pneumoniaThreshold),
            ShiftScenarios = shifted.Select(s => Scenario(s.Set.Scenario, s.Card, s.Set.Eligible) with
                {
                    GatedOut = new[] { (Name: "normal", Out: GatedOut(s.Set.Scenario, s.Card, c => c.Normal)), (Name: "pneumonia", Out: GatedOut(s.Set.Scenario, s.Card, c => c.Pneumonia)) }
                        .Where(g => g.Out).Select(g => g.Name).ToList() is { Count: > 0 } gated ? gated : null,
                })
                .Prepend(Scenario("clean", clean, units?.Eligible)).ToList(),
        };
    }

    private static ShiftScenarioCard Scenario(string name, RiskControlCard card, bool[]? eligible) => new()
    {
        Name = name,
        NormalThreshold = card.Normal.Threshold,
        PneumoniaThreshold = card.Pneumonia.Threshold,
        Coverage = card.OverallCoverage,
        NormalN = card.Normal.N,
        PneumoniaN = card.Pneumonia.N,
        UnitsCertified = card.Normal.PredictedCases + card.Pneumonia.PredictedCases,
        EligibleCases = eligible?.Count(e => e),
    };

    /// <summary>The clean set's certified evidence at the robust threshold (what a radiologist reads on the card).</summary>
    private static ClassRiskCard Restate(ClassRiskCard clean, double? threshold, ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels,
        int[] sample, ScreeningClass cls, double delta)
    {
        var predicted = 0;
        var n = 0;
        var errors = 0;
        foreach (var i in sample)
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
