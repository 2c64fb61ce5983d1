using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Monitoring;

/// <summary>
/// The one place a pause changes an answer: applied after routing, it turns a decision that would have been automated
/// into pending_review with reason automation_paused. A film already going to review keeps its own reasons (the pause
/// is not why a radiologist must read it).
/// </summary>
public static class AutomationPause
{
    public static RoutingDecision Apply(RoutingDecision decision, bool paused)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return paused && decision.Status == CaseStatus.Automated
            ? new RoutingDecision(CaseStatus.PendingReview, [ReasonCodes.AutomationPaused])
            : decision;
    }
}
