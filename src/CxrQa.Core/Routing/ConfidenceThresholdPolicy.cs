using CxrQa.Domain;
namespace CxrQa.Core.Routing;

/// <summary>
/// The seed's rule: automate when the calibrated probability of the predicted class is at least the threshold.
/// It states no error rate; the risk-controlled policy is the default whenever a bundle carries one.
/// </summary>
public sealed class ConfidenceThresholdPolicy(double threshold) : IRoutingPolicy
{
    public double Threshold { get; } = threshold is >= 0.5 and <= 1.0
        ? threshold
        : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "a confidence threshold lies in [0.5, 1]");

    public RoutingDecision Route(double pneumoniaProbability) =>
        BinaryPrediction.FromPneumoniaProbability(pneumoniaProbability).Confidence >= Threshold
            ? new RoutingDecision(CaseStatus.Automated, [])
            : new RoutingDecision(CaseStatus.PendingReview, [ReasonCodes.LowConfidence]);
}
