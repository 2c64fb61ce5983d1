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
    /// embedding. Default stage 3 alone: the embedding of a fine-tuned network keeps little but the task, and stages 1
    /// and 2 see texture the training augmentation covers (docs/trust-layer.md section 5).</summary>
    public IReadOnlyList<int> FeatureShiftDimensions { get; init; } = [256];

    /// <summary>The density fitted at each depth. Nearest neighbours: on the shift benchmark it passed a third as many
    /// adult films as Mahalanobis at the same false-rejection rate (docs/trust-layer.md).</summary>
    public OutOfDistribution.FeatureDensityKind FeatureShiftDensity { get; init; } = OutOfDistribution.FeatureDensityKind.NearestNeighbour;

    /// <summary>k of the nearest-neighbour density.</summary>
    public int FeatureShiftNeighbours { get; init; } = 10;

    /// <summary>Whether the feature-shift references also hold one framing-cropped view of every training film (drawn
    /// as training draws them): the network was trained on such views, so a tightly framed film is not a shift for it,
    /// and without them the gate sent two thirds of the framing probe to review.</summary>
    public bool FeatureShiftFramedViews { get; init; } = true;
}
