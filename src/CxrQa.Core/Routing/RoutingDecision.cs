namespace CxrQa.Core.Routing;

public enum CaseStatus
{
    Automated,
    PendingReview,
}

/// <summary>Where a case goes and why. Any reason means a person looks at it.</summary>
public sealed record RoutingDecision(CaseStatus Status, IReadOnlyList<string> Reasons)
{
    public string StatusText => Status == CaseStatus.Automated ? "automated" : "pending_review";
}
