namespace CxrQa.Core.Routing;

public enum CaseStatus
{
    Automated,
    PendingReview,
}

/// <summary>Where a case goes and why. Any reason means a person looks at it.</summary>
public sealed record RoutingDecision(CaseStatus Status, IReadOnlyList<string> Reasons)
{
    public string StatusText => TextOf(Status);

    /// <summary>The status as answers and the case store write it.</summary>
    public static string TextOf(CaseStatus status) => status == CaseStatus.Automated ? "automated" : "pending_review";

    /// <summary>The status a stored text names (<see cref="TextOf"/> backwards); anything else is a case waiting for review.</summary>
    public static CaseStatus StatusOf(string text) => text == TextOf(CaseStatus.Automated) ? CaseStatus.Automated : CaseStatus.PendingReview;
}
