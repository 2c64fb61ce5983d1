using System.Runtime.InteropServices;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Calibration;

/// <summary>
/// Certifies a separate threshold for each predicted class, each from only the calibration cases predicted as that
/// class, so the promise is per answer type: "of automated Normal answers, at most alpha_normal are wrong".
/// </summary>
/// <remarks>
/// A single pooled threshold would let many easy Pneumonia answers hide a worse error rate among Normal ones, and a
/// missed pneumonia is the error that matters most.
/// </remarks>
public static class ClassConditionalRiskControl
{
    /// <param name="pneumoniaProbabilities">Calibrated P(pneumonia) of each calibration case (after temperature scaling).</param>
    /// <param name="labels">Truth: 1 = pneumonia, 0 = normal.</param>
    /// <param name="options">Alphas, delta and the shift knobs.</param>
    /// <param name="units">
    /// Patients and eligibility of each film: certify on one eligible film per patient. Null: every film counts as an
    /// independent, eligible answer (only right when no patient has two films and no gate stands in front).
    /// </param>
    public static RiskControlCard Fit(ReadOnlySpan<double> pneumoniaProbabilities, ReadOnlySpan<int> labels, RiskControlOptions options,
        CertificationUnits? units = null) =>
        FitSet(pneumoniaProbabilities, labels, options, units, units?.Eligible);

    /// <summary>One calibration set (clean or shifted) with its own eligibility mask; patients are shared by all sets.</summary>
    internal static RiskControlCard FitSet(ReadOnlySpan<double> pneumoniaProbabilities, ReadOnlySpan<int> labels, RiskControlOptions options,
        CertificationUnits? units, bool[]? eligible)
    {
        options.Validate();
        if (pneumoniaProbabilities.Length != labels.Length)
            throw new ArgumentException($"{pneumoniaProbabilities.Length} probabilities but {labels.Length} labels", nameof(labels));
        foreach (var label in labels)
            if (label is not (0 or 1))
                throw new ArgumentException($"a label is 0 or 1, not {label}", nameof(labels));
        // Checked for every film, not only the certified ones, so a broken score cannot hide behind the sampling.
        foreach (var p in pneumoniaProbabilities)
            if (!double.IsFinite(p))
                throw new ArgumentException("a probability is not finite", nameof(pneumoniaProbabilities));
        var sample = CertificationSample.Indices(labels.Length, units, eligible);

        var confidences = new List<double>[2] { [], [] };
        var correct = new List<bool>[2] { [], [] };
        foreach (var i in sample)
        {
            var prediction = BinaryPrediction.FromPneumoniaProbability(pneumoniaProbabilities[i]);
            var c = (int)prediction.Class;
            confidences[c].Add(prediction.Confidence);
            correct[c].Add((prediction.Class == ScreeningClass.Pneumonia) == (labels[i] == 1));
        }

        var delta = DeltaPerClass(options);
        var normal = FitClass(confidences[(int)ScreeningClass.Normal], correct[(int)ScreeningClass.Normal], options.AlphaNormal, delta, options);
        var pneumonia = FitClass(confidences[(int)ScreeningClass.Pneumonia], correct[(int)ScreeningClass.Pneumonia], options.AlphaPneumonia, delta, options);
        return new RiskControlCard
        {
            Delta = options.Delta,
            DeltaPerClass = delta,
            SafetyMargin = options.SafetyMargin,
            ThresholdFloor = options.ThresholdFloor,
            Normal = normal,
            Pneumonia = pneumonia,
            OverallCoverage = AutomatedFilmFraction(pneumoniaProbabilities, eligible, normal.Threshold, pneumonia.Threshold),
            CalibrationCases = labels.Length,
            Units = units?.UnitName ?? UnitNames.Films,
            PatientsCertified = units?.PatientIds is null ? null : sample.Length,
            EligibleCases = eligible?.Count(e => e),
        };
    }

    /// <summary>Each class is a separate threshold, so a joint promise needs a union bound over the two.</summary>
    internal static double DeltaPerClass(RiskControlOptions options) => options.JointAcrossClasses ? options.Delta / 2 : options.Delta;

    /// <summary>The share of all films production would automate: eligible and at or above their predicted class's threshold.</summary>
    internal static double AutomatedFilmFraction(ReadOnlySpan<double> pneumoniaProbabilities, bool[]? eligible, double? normalThreshold, double? pneumoniaThreshold)
    {
        if (pneumoniaProbabilities.Length == 0)
            return 0;
        var automated = 0;
        for (var i = 0; i < pneumoniaProbabilities.Length; i++)
        {
            if (eligible is not null && !eligible[i])
                continue;
            var p = BinaryPrediction.FromPneumoniaProbability(pneumoniaProbabilities[i]);
            var t = p.Class == ScreeningClass.Pneumonia ? pneumoniaThreshold : normalThreshold;
            if (t is { } threshold && p.Confidence >= threshold)
                automated++;
        }
        return automated / (double)pneumoniaProbabilities.Length;
    }

    private static ClassRiskCard FitClass(List<double> confidences, List<bool> correct, double alpha, double delta, RiskControlOptions options)
    {
        var certified = alpha * options.SafetyMargin;
        var candidates = CandidateThresholds.FromConfidences(CollectionsMarshal.AsSpan(confidences), options.ThresholdFloor, options.MaxCandidates);
        var s = SelectiveThreshold.Select(CollectionsMarshal.AsSpan(confidences), CollectionsMarshal.AsSpan(correct), certified, delta, candidates);
        return new ClassRiskCard
        {
            Alpha = alpha,
            CertifiedAlpha = certified,
            Threshold = s.Threshold,
            N = s.N,
            Errors = s.Errors,
            UpperBound = s.UpperBound,
            Coverage = s.Coverage,
            PredictedCases = confidences.Count,
        };
    }
}
