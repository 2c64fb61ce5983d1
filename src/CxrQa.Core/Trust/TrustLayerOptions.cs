using CxrQa.Core.Calibration;

namespace CxrQa.Core.Trust;

/// <summary>Settings for fitting the trust layer (calibration, risk-controlled routing, OOD gate).</summary>
public sealed record TrustLayerOptions
{
    public RiskControlOptions Risk { get; init; } = new();
    /// <summary>Percentile of calibration-split Mahalanobis scores above which a film is out of distribution.</summary>
    public double OodPercentile { get; init; } = 99.5;
}
