using CxrQa.Core.Calibration;
using CxrQa.Core.Errors;
using CxrQa.Core.Model;
using CxrQa.Core.OutOfDistribution;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Trust;

/// <summary>Deployment choices that override the bundle's routing policy.</summary>
public sealed record RoutingOverrides
{
    /// <summary>Pin the seed's fixed rule at this confidence (ignores the certified thresholds).</summary>
    public double? FixedConfidenceThreshold { get; init; }
    /// <summary>Recompute the certified thresholds from the bundle's calibration scores with these settings.</summary>
    public RiskControlOptions? Risk { get; init; }
}

/// <summary>The trust components a bundle carries: the routing policy and, if present, the OOD gate.</summary>
public sealed record BundleTrust(IRoutingPolicy Policy, RiskControlCard? RiskControl, MahalanobisDetector? OodDetector, double? OodThreshold)
{
    /// <summary>The per-film shift gates (feature shift, ensemble disagreement); <see cref="ShiftGates.None"/> when the
    /// bundle's card has none.</summary>
    public ShiftGates Gates { get; init; } = ShiftGates.None;

    public bool IsOutOfDistribution(ReadOnlySpan<float> embedding, out double score)
    {
        score = OodDetector?.Score(embedding) ?? double.NaN;
        return OodDetector is not null && OodThreshold is { } t && !(score <= t);
    }

    public static BundleTrust Load(ModelBundle bundle, RoutingOverrides? overrides = null)
    {
        var card = bundle.Card;
        overrides ??= new RoutingOverrides();
        var (policy, risk) = LoadPolicy(bundle, overrides);
        var gates = LoadGates(bundle);
        if (card.OutOfDistribution is not { } ood)
            return new BundleTrust(policy, risk, null, null) { Gates = gates };
        var path = BundleFile(bundle, ood.File);
        if (!Sha256Hex.AreEqual(Sha256Hex.OfFile(path), ood.FileSha256))
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"{ood.File} does not match the sha256 in model.json");
        return new BundleTrust(policy, risk, OodDetectorFile.Load(path), ood.Threshold) { Gates = gates };
    }

    private static ShiftGates LoadGates(ModelBundle bundle)
    {
        if (bundle.Card.ShiftGates is not { } card) return ShiftGates.None;
        FeatureShiftDetector? detector = null;
        if (card.FeatureShift is { } fs)
        {
            var path = BundleFile(bundle, fs.File);
            if (!Sha256Hex.AreEqual(Sha256Hex.OfFile(path), fs.FileSha256))
                throw new CxrQaException(ErrorCodes.ModelInvalid, $"{fs.File} does not match the sha256 in model.json");
            detector = FeatureShiftDetector.Load(path);
            if (!bundle.HasDepthFeatures && detector.Dimensions.Any(d => d != ModelOutputs.EmbeddingSize))
                throw new CxrQaException(ErrorCodes.ModelInvalid, "the feature-shift gate needs the backbone's stage outputs, which this graph lacks");
        }
        return new ShiftGates(detector, card.FeatureShift?.Threshold, card.EnsembleSpread?.Threshold);
    }

    private static (IRoutingPolicy, RiskControlCard?) LoadPolicy(ModelBundle bundle, RoutingOverrides overrides)
    {
        var card = bundle.Card;
        if (overrides.FixedConfidenceThreshold is { } fixedThreshold)
            return (new ConfidenceThresholdPolicy(fixedThreshold), null);
        if (card.DecisionPolicy.Mode == DecisionPolicyCard.FixedConfidence)
            return (new ConfidenceThresholdPolicy(card.DecisionPolicy.Threshold), null);
        if (card.DecisionPolicy.Mode != DecisionPolicyCard.RiskControlled || card.DecisionPolicy.RiskControl is not { } risk)
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"decision_policy.mode '{card.DecisionPolicy.Mode}' is unknown or lacks its risk_control section");
        if (overrides.Risk is { } options)
        {
            if (card.Calibration is not { } calibration)
                throw new CxrQaException(ErrorCodes.ModelInvalid, "the bundle has no calibration scores to recompute thresholds from");
            var scores = CalibrationScores.Load(BundleFile(bundle, calibration.ScoresFile));
            var probabilities = scores.Logits.Select(z => TemperatureScaling.Probability(z, card.Temperature)).ToArray();
            risk = ClassConditionalRiskControl.Fit(probabilities, scores.Labels, options, scores.Units());
        }
        return (RiskControlledPolicy.FromCard(risk), risk);
    }

    private static string BundleFile(ModelBundle bundle, string name)
    {
        if (Path.GetFileName(name) != name)
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"bundle file '{name}' must be a plain name inside the bundle");
        var path = Path.Combine(bundle.Directory, name);
        return File.Exists(path) ? path : throw new CxrQaException(ErrorCodes.ModelInvalid, $"bundle file '{name}' is missing");
    }
}
