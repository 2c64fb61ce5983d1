using CxrQa.Core.Routing;

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
    public static RiskControlCard Fit(ReadOnlySpan<double> pneumoniaProbabilities, ReadOnlySpan<int> labels, RiskControlOptions options)
    {
        options.Validate();
        if (pneumoniaProbabilities.Length != labels.Length)
            throw new ArgumentException($"{pneumoniaProbabilities.Length} probabilities but {labels.Length} labels", nameof(labels));

        var confidences = new List<double>[2] { [], [] };
        var correct = new List<bool>[2] { [], [] };
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
                throw new ArgumentException($"a label is 0 or 1, not {labels[i]}", nameof(labels));
            var prediction = BinaryPrediction.FromPneumoniaProbability(pneumoniaProbabilities[i]);
            var c = (int)prediction.Class;
            confidences[c].Add(prediction.Confidence);
            correct[c].Add((prediction.Class == ScreeningClass.Pneumonia) == (labels[i] == 1));
        }

        var delta = options.JointAcrossClasses ? options.Delta / 2 : options.Delta;
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
            OverallCoverage = labels.Length == 0 ? 0 : (normal.N + pneumonia.N) / (double)labels.Length,
            CalibrationCases = labels.Length,
        };
    }

    private static ClassRiskCard FitClass(List<double> confidences, List<bool> correct, double alpha, double delta, RiskControlOptions options)
    {
        var certified = alpha * options.SafetyMargin;
        var candidates = CandidateThresholds.FromConfidences(
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(confidences), options.ThresholdFloor, options.MaxCandidates);
        var s = SelectiveThreshold.Select(
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(confidences),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(correct),
            certified, delta, candidates);
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
