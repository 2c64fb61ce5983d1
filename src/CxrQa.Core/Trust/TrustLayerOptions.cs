using CxrQa.Core.Calibration;

namespace CxrQa.Core.Trust;

/// <summary>Settings for fitting the trust layer (calibration, risk-controlled routing, OOD gate).</summary>
public sealed record TrustLayerOptions
{
    public RiskControlOptions Risk { get; init; } = new();
    /// <summary>Percentile of calibration-split Mahalanobis scores above which a film is out of distribution.</summary>
    public double OodPercentile { get; init; } = 99.5;
    /// <summary>Percentile of held-out in-distribution feature-shift scores above which a film goes to review
    /// (<c>feature_shift</c>); null turns the gate off. 97.5: it costs about 2.5 % of in-distribution films.</summary>
    public double? FeatureShiftPercentile { get; init; } = 97.5;
    /// <summary>Percentile of held-out ensemble spreads above which a film goes to review (<c>ensemble_disagreement</c>);
    /// null turns the gate off. Ignored for a single network.</summary>
    public double? SpreadPercentile { get; init; } = 97.5;
    /// <summary>The depths the feature-shift gate reads, by width: 64, 128, 256 = pooled stages 1-3, 512 = the
    /// embedding. Default stage 3 + embedding: with stages 1 and 2 the gate also sent most of the framing probe and of
    /// the repositioned films to review, which the network reads correctly; even so, stage 3 still flags native-resolution
    /// originals (docs/trust-layer.md section 5, "what is still wrong").</summary>
    public IReadOnlyList<int> FeatureShiftDimensions { get; init; } = [256, 512];
}
