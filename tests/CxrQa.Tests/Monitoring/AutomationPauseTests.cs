using CxrQa.Core.Monitoring;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Tests.Monitoring;

public sealed class AutomationPauseTests
{
    [Fact]
    public void A_pause_sends_an_automated_answer_to_review_with_its_own_reason()
    {
        var decision = AutomationPause.Apply(new RoutingDecision(CaseStatus.Automated, []), paused: true);

        Assert.Equal(CaseStatus.PendingReview, decision.Status);
        Assert.Equal([ReasonCodes.AutomationPaused], decision.Reasons);
    }

    [Fact]
    public void A_film_already_going_to_review_keeps_its_reasons_and_nothing_changes_when_not_paused()
    {
        var routed = new RoutingDecision(CaseStatus.PendingReview, [ReasonCodes.LowConfidence]);
        var automated = new RoutingDecision(CaseStatus.Automated, []);

        Assert.Same(routed, AutomationPause.Apply(routed, paused: true));
        Assert.Same(automated, AutomationPause.Apply(automated, paused: false));
    }
}
