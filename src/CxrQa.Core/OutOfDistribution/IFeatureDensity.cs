namespace CxrQa.Core.OutOfDistribution;

/// <summary>How unusual one feature vector is relative to the training films: larger = less like them. One per depth
/// of <see cref="FeatureShiftDetector"/>.</summary>
public interface IFeatureDensity
{
    int Dimension { get; }

    /// <summary>The film's score; NaN when its features are not usable (not finite).</summary>
    double Score(ReadOnlySpan<float> features);
}

/// <summary>Which density the feature-shift gate fits at each depth.</summary>
public enum FeatureDensityKind
{
    /// <summary>Class-conditional Mahalanobis distance, shared Ledoit-Wolf covariance (<see cref="MahalanobisDetector"/>).</summary>
    Mahalanobis = 0,

    /// <summary>Cosine distance to the k-th nearest training film (<see cref="NeighbourDistance"/>).</summary>
    NearestNeighbour = 1,
}
