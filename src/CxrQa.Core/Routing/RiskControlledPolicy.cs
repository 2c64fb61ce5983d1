using CxrQa.Domain;
namespace CxrQa.Core.Routing;

/// <summary>
/// Automates an answer only when its predicted class has a certified threshold and the confidence reaches it;
/// everything else goes to a radiologist as <see cref="ReasonCodes.LowConfidence"/>.
/// </summary>
public sealed class RiskControlledPolicy : IRoutingPolicy
{
    public RiskControlledPolicy(double? normalThreshold, double? pneumoniaThreshold)
    {
        NormalThreshold = Checked(normalThreshold, nameof(normalThreshold));
        PneumoniaThreshold = Checked(pneumoniaThreshold, nameof(pneumoniaThreshold));
    }

    public static RiskControlledPolicy FromCard(RiskControlCard card) => new(card.Normal.Threshold, card.Pneumonia.Threshold);

    /// <summary>Null: no answer of this class is ever automated.</summary>
    public double? NormalThreshold { get; }

    public double? PneumoniaThreshold { get; }

    public double? ThresholdFor(ScreeningClass predicted) => predicted == ScreeningClass.Pneumonia ? PneumoniaThreshold : NormalThreshold;

    public RoutingDecision Route(double pneumoniaProbability) => Route(BinaryPrediction.FromPneumoniaProbability(pneumoniaProbability));

    public RoutingDecision Route(BinaryPrediction prediction)
    {
        // A NaN confidence compares false and so falls through to review, which is the safe side.
        var threshold = ThresholdFor(prediction.Class);
        return threshold is { } t && prediction.Confidence >= t
            ? new RoutingDecision(CaseStatus.Automated, [])
            : new RoutingDecision(CaseStatus.PendingReview, [ReasonCodes.LowConfidence]);
    }

    private static double? Checked(double? threshold, string name) =>
        threshold is null or (>= 0.0 and <= 1.0)
            ? threshold
            : throw new ArgumentOutOfRangeException(name, threshold, "a confidence threshold lies in [0, 1] (or is null: never automate)");
}
