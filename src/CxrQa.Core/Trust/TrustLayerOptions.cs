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
}
