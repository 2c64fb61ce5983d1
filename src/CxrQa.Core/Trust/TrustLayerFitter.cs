using CxrQa.Core.Calibration;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Model;
using CxrQa.Core.OutOfDistribution;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Trust;

/// <summary>
/// What the trust layer is fitted on, from three disjoint groups of patients:
/// <list type="bullet">
/// <item><b>training</b> films (the densities of the OOD and feature-shift gates);</item>
/// <item><b>gate-fit</b> films: held-out, in-distribution, never used to certify (each gate's threshold and its
/// false-rejection rate);</item>
/// <item><b>calibration</b> films: temperature, and the certified routing thresholds, counted only over the films
/// that pass every gate, one film per patient.</item>
/// </list>
/// </summary>
public sealed record TrustLayerInputs(
    FilmScores Train,
    int[] TrainLabels,
    FilmScores GateFit,
    string GateFitDescription,
    FilmScores Calibration,
    int[] CalibrationLabels,
    string[] CalibrationPatients,
    string[] CalibrationKeys)
{
    /// <summary>Further views of the training films that the feature-shift references include (framing crops drawn as
    /// training draws them); null: the training films alone.</summary>
    public FilmScores? TrainViews { get; init; }

    /// <summary>The calibration films under simulated shifts (empty: certify on clean films only).</summary>
    public IReadOnlyList<(string Scenario, FilmScores Scores)> Shifted { get; init; } = [];
}

/// <summary>A fitted trust layer, ready to be written into a bundle.</summary>
public sealed record TrustLayer(
    CalibrationCard Calibration,
    RiskControlCard RiskControl,
    MahalanobisDetector OodDetector,
    OodThreshold OodThreshold,
    FeatureShiftDetector? FeatureShift,
    ShiftGatesCard GatesCard,
    CalibrationScores Scores);

/// <summary>
/// Fits everything that decides whether an answer may be automated: the temperature (NLL on the calibration split),
/// the OOD and shift gates (densities on training films, thresholds on the gate-fit films), and per-class
/// risk-controlled thresholds certified on the calibration films that pass the gates.
/// </summary>
public static class TrustLayerFitter
{
    public const int Dimension = ModelOutputs.EmbeddingSize;

    public static TrustLayer Fit(TrustLayerInputs inputs, TrustLayerOptions options)
    {
        var cal = inputs.Calibration;
        var logits = cal.Logits;
        var labels = inputs.CalibrationLabels;
        var temperature = TemperatureFitter.Fit(logits, labels);
        var before = logits.Select(z => TemperatureScaling.Probability(z, 1.0)).ToArray();
        var after = logits.Select(z => TemperatureScaling.Probability(z, temperature)).ToArray();
        var calibration = new CalibrationCard
        {
            Cases = logits.Length,
            Temperature = temperature,
            EceBefore = ReliabilityBins.Compute(before, labels).Ece,
            EceAfter = ReliabilityBins.Compute(after, labels).Ece,
            NllBefore = BinaryNll.Mean(logits, labels, 1.0),
            NllAfter = BinaryNll.Mean(logits, labels, temperature),
        };

        // Gates: densities on training films, thresholds on gate-fit films (never the certification films).
        var detector = MahalanobisDetector.Fit(inputs.Train.Embeddings, Dimension, inputs.TrainLabels);
        var oodThreshold = OodThreshold.FromScores(OodScores(detector, inputs.GateFit), options.OodPercentile);
        var withDepth = inputs.Train.Depth.Count > 0;
        var allDims = FilmScores.FeatureDimensions(withDepth);
        var usedDims = allDims.Where(options.FeatureShiftDimensions.Contains).ToList();
        var references = inputs.TrainViews is { } views ? Concat(inputs.Train.FeatureDepths, views.FeatureDepths) : inputs.Train.FeatureDepths;
        var referenceLabels = inputs.TrainViews is null ? inputs.TrainLabels : [.. inputs.TrainLabels, .. inputs.TrainLabels];
        var featureShift = options.FeatureShiftPercentile is not null && withDepth && usedDims.Count > 0
            ? FeatureShiftDetector.Fit(FeatureShiftDetector.Select(references, allDims, usedDims), usedDims, referenceLabels,
                options.FeatureShiftDensity, options.FeatureShiftNeighbours)
            : null;
        double[]? Shift(FilmScores s) => featureShift is null ? null : FeatureShiftScores(featureShift, s);
        var gateFitShift = Shift(inputs.GateFit);
        var featureThreshold = gateFitShift is null ? null : OodThreshold.FromScores(gateFitShift, options.FeatureShiftPercentile!.Value);
        var ensemble = inputs.GateFit.Spreads.Any(s => s > 0);
        var spreadThreshold = ensemble && options.SpreadPercentile is { } sp ? OodThreshold.FromScores(inputs.GateFit.Spreads, sp) : null;
        var gates = new ShiftGates(featureShift, featureThreshold?.Value, spreadThreshold?.Value);

        bool[] Eligible(FilmScores s, double[] ood, double[]? shift) =>
            Enumerable.Range(0, s.Count).Select(i => !oodThreshold.IsOutOfDistribution(ood[i])
                && gates.Reasons(shift?[i] ?? double.NaN, ensemble ? s.Spreads[i] : double.NaN).Count == 0).ToArray();

        var calOod = OodScores(detector, cal);
        var calShift = Shift(cal);
        var cleanEligible = Eligible(cal, calOod, calShift);
        var units = new CertificationUnits(inputs.CalibrationPatients, cleanEligible, inputs.CalibrationKeys);
        var risk = inputs.Shifted.Count == 0
            ? ClassConditionalRiskControl.Fit(after, labels, options.Risk, units)
            : ShiftRobustRiskControl.Fit(after, labels,
                inputs.Shifted.Select(s => new ShiftedScores(s.Scenario,
                    s.Scores.Logits.Select(z => TemperatureScaling.Probability(z, temperature)).ToArray(), Eligible(s.Scores, OodScores(detector, s.Scores), Shift(s.Scores)))).ToList(),
                options.Risk, units);

        var gatesCard = new ShiftGatesCard
        {
            FittedOn = inputs.GateFitDescription,
            FitCases = inputs.GateFit.Count,
            FeatureShift = featureShift is null ? null : new FeatureShiftGateCard
            {
                Threshold = featureThreshold!.Value,
                TargetFalseRejection = 1 - featureThreshold.Percentile / 100,
                MeasuredFalseRejection = Rate(gateFitShift!, featureThreshold.Value),
                FileSha256 = "",
                Dimensions = featureShift.Dimensions,
                Method = FeatureShiftGateCard.Describe(featureShift.Kind, options.FeatureShiftNeighbours),
                Neighbours = featureShift.Kind == FeatureDensityKind.NearestNeighbour ? options.FeatureShiftNeighbours : null,
                ReferenceFilms = inputs.TrainViews is null
                    ? $"{inputs.Train.Count} training films"
                    : $"{inputs.Train.Count} training films and one framing-cropped view of each ({inputs.TrainViews.Count})",
            },
            EnsembleSpread = spreadThreshold is null ? null : new GateThresholdCard
            {
                Threshold = spreadThreshold.Value,
                TargetFalseRejection = 1 - spreadThreshold.Percentile / 100,
                MeasuredFalseRejection = Rate(inputs.GateFit.Spreads, spreadThreshold.Value),
            },
            CalibrationRejectedFraction = cleanEligible.Count(e => !e) / (double)Math.Max(1, cleanEligible.Length),
        };
        var scores = new CalibrationScores(logits, labels, calOod)
        {
            FeatureShiftScores = calShift,
            EnsembleSpreads = ensemble ? cal.Spreads : null,
            Eligible = cleanEligible,
            Patients = inputs.CalibrationPatients,
            Keys = inputs.CalibrationKeys,
        };
        return new TrustLayer(calibration, risk, detector, oodThreshold, featureShift, gatesCard, scores);
    }

    private static double[] OodScores(MahalanobisDetector detector, FilmScores s) =>
        Enumerable.Range(0, s.Count).Select(i => detector.Score(s.Embeddings.AsSpan(i * Dimension, Dimension))).ToArray();

    private static double[] FeatureShiftScores(FeatureShiftDetector detector, FilmScores s)
    {
        var depths = detector.Pick(s.FeatureDepths, FilmScores.FeatureDimensions(s.Depth.Count > 0));
        return Enumerable.Range(0, s.Count).Select(i => detector.Score(depths, i)).ToArray();
    }

    private static IReadOnlyList<float[]> Concat(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b) =>
        a.Zip(b, (x, y) => (float[])[.. x, .. y]).ToList();

    private static double Rate(IReadOnlyList<double> scores, double threshold) =>
        scores.Count == 0 ? 0 : scores.Count(s => !(s <= threshold)) / (double)scores.Count;

    /// <summary>Writes ood.bin, feature_shift.bin and calibration.json into the bundle folder and returns the card that
    /// describes them.</summary>
    public static ModelCard WriteInto(string bundleDirectory, ModelCard card, TrustLayer trust, int trainingCases)
    {
        Directory.CreateDirectory(bundleDirectory);
        var oodCard = new OutOfDistributionCard
        {
            FileSha256 = "",
            Threshold = trust.OodThreshold.Value,
            Percentile = trust.OodThreshold.Percentile,
            CalibrationCases = trust.OodThreshold.CalibrationCases,
            TrainingCases = 0,
            Shrinkage = trust.OodDetector.Shrinkage,
        };
        var oodPath = Path.Combine(bundleDirectory, oodCard.File);
        OodDetectorFile.Save(trust.OodDetector, oodPath);
        var gates = trust.GatesCard;
        if (trust.FeatureShift is { } featureShift)
        {
            var path = Path.Combine(bundleDirectory, gates.FeatureShift!.File);
            featureShift.Save(path);
            gates = gates with { FeatureShift = gates.FeatureShift with { FileSha256 = Sha256Hex.OfFile(path) } };
        }
        File.WriteAllBytes(Path.Combine(bundleDirectory, trust.Calibration.ScoresFile), trust.Scores.ToJsonBytes());
        var r = trust.RiskControl;
        return card with
        {
            Temperature = trust.Calibration.Temperature,
            Calibration = trust.Calibration,
            OutOfDistribution = oodCard with { FileSha256 = Sha256Hex.OfFile(oodPath), TrainingCases = trainingCases },
            ShiftGates = gates,
            ShiftBenchmark = null,
            DecisionPolicy = new DecisionPolicyCard
            {
                Mode = DecisionPolicyCard.RiskControlled,
                Threshold = card.DecisionPolicy.Threshold,
                RiskControl = r,
                Description = PolicyText.Describe(r),
            },
        };
    }
}
