using CxrQa.Core.Calibration;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Model;
using CxrQa.Core.OutOfDistribution;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Trust;

/// <summary>Embeddings and logits the trust layer is fitted on. Calibration films come from patients never trained on.</summary>
public sealed record TrustLayerInputs(
    float[] TrainEmbeddings,
    int[] TrainLabels,
    float[] CalibrationEmbeddings,
    double[] CalibrationLogits,
    int[] CalibrationLabels)
{
    /// <summary>Logits of the same calibration films under simulated shifts (empty: certify on clean films only).</summary>
    public IReadOnlyList<(string Scenario, double[] Logits)> ShiftedCalibrationLogits { get; init; } = [];
}

/// <summary>A fitted trust layer, ready to be written into a bundle.</summary>
public sealed record TrustLayer(
    CalibrationCard Calibration,
    RiskControlCard RiskControl,
    MahalanobisDetector OodDetector,
    OodThreshold OodThreshold,
    CalibrationScores Scores);

/// <summary>
/// Fits everything that decides whether an answer may be automated: the temperature (NLL on the calibration split),
/// per-class risk-controlled thresholds on the calibrated probabilities, and the Mahalanobis OOD gate (fitted on
/// the training films' embeddings, thresholded on the calibration films').
/// </summary>
public static class TrustLayerFitter
{
    public const int Dimension = ModelOutputs.EmbeddingSize;

    public static TrustLayer Fit(TrustLayerInputs inputs, TrustLayerOptions options)
    {
        var logits = inputs.CalibrationLogits;
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
        var risk = inputs.ShiftedCalibrationLogits.Count == 0
            ? ClassConditionalRiskControl.Fit(after, labels, options.Risk)
            : ShiftRobustRiskControl.Fit(after, labels,
                inputs.ShiftedCalibrationLogits.Select(s => new ShiftedScores(s.Scenario,
                    s.Logits.Select(z => TemperatureScaling.Probability(z, temperature)).ToArray())).ToList(),
                options.Risk);

        var detector = MahalanobisDetector.Fit(inputs.TrainEmbeddings, Dimension, inputs.TrainLabels);
        var oodScores = new double[labels.Length];
        for (var i = 0; i < oodScores.Length; i++)
            oodScores[i] = detector.Score(inputs.CalibrationEmbeddings.AsSpan(i * Dimension, Dimension));
        var oodThreshold = OodThreshold.FromScores(oodScores, options.OodPercentile);

        return new TrustLayer(calibration, risk, detector, oodThreshold, new CalibrationScores(logits, labels, oodScores));
    }

    /// <summary>Writes ood.bin and calibration.json into the bundle folder and returns the card that describes them.</summary>
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
        File.WriteAllBytes(Path.Combine(bundleDirectory, trust.Calibration.ScoresFile), trust.Scores.ToJsonBytes());
        var r = trust.RiskControl;
        return card with
        {
            Temperature = trust.Calibration.Temperature,
            Calibration = trust.Calibration,
            OutOfDistribution = oodCard with { FileSha256 = Sha256Hex.OfFile(oodPath), TrainingCases = trainingCases },
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
