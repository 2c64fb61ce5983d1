using CxrQa.Domain;
namespace CxrQa.Storage;

public static class ReviewStates
{
    public const string Pending = "pending";
    public const string Claimed = "claimed";
    public const string Decided = "decided";

    public static IReadOnlyList<string> All { get; } = [Pending, Claimed, Decided];
}

public static class ReviewOrigins
{
    /// <summary>The screening routed the film to review (status pending_review).</summary>
    public const string Routed = "routed";

    /// <summary>An automated answer drawn for audit; the case keeps its status.</summary>
    public const string AuditSample = "audit_sample";

    /// <summary>Where a new case enters the queue, or null when it does not.</summary>
    public static string? For(CaseStatus caseStatus, bool auditSample) => caseStatus switch
    {
        CaseStatus.PendingReview => Routed,
        CaseStatus.Automated when auditSample => AuditSample,
        _ => null,
    };
}

/// <summary>A case's place in the review workflow: pending -> claimed -> decided (claimed -> pending on release).
/// The claim fields are kept after the decision, as history.</summary>
public sealed record ReviewRecord(
    string CaseId,
    string State,
    string Origin,
    DateTimeOffset QueuedAt,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? ClaimExpiresAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Label,
    string? Note)
{
    public static ReviewRecord Queued(string caseId, string origin, DateTimeOffset queuedAt) =>
        new(caseId, ReviewStates.Pending, origin, queuedAt, null, null, null, null, null, null, null);

    /// <summary>A claim that someone else may not take yet.</summary>
    public bool HasLiveClaim(DateTimeOffset now) => State == ReviewStates.Claimed && ClaimExpiresAt >= now;
}

/// <summary>A review with the case it is about.</summary>
public sealed record ReviewWithCase(ReviewRecord Review, CaseRecord Case);

public sealed record ReviewPage(IReadOnlyList<ReviewWithCase> Items, long Total);

public enum ReviewOutcome
{
    Done,
    NotFound,
    AlreadyClaimed,
    AlreadyDecided,
    NotClaimedByYou,
}

/// <summary>What a claim, release or decision did: <see cref="Review"/> is the row after it (or as found when refused).</summary>
public sealed record ReviewChange(ReviewOutcome Outcome, ReviewRecord? Review);

/// <summary>Queue and decision counts; the audit-sample counts exclude Unreadable decisions.</summary>
public sealed record ReviewStats(
    long Pending,
    long Claimed,
    long Decided,
    IReadOnlyDictionary<string, long> DecisionsByLabel,
    long AuditSampleAgreements,
    long AuditSampleDisagreements);
