using CxrQa.Core.Calibration;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Server.Pacs;
using CxrQa.Admin.Automation;
using CxrQa.Storage;
using CxrQa.Domain;

namespace CxrQa.Server.Reviews;

/// <summary>
/// The review workflow behind the endpoints: checks the request, takes the time, asks the store (whose conditional
/// updates decide races) and turns a refusal into its stable error. Holds no state of its own, so replicas agree.
/// </summary>
public sealed partial class ReviewService(
    IReviewStore store,
    ScreeningService screening,
    ServerOptions options,
    AutomationOptions automation,
    AutomationMonitor monitor,
    TimeProvider clock,
    PacsOutboxSignal pacsOutbox,
    ILogger<ReviewService> logger)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxNoteLength = 2000;

    /// <summary>One-sided level of the audit-sample error bound.</summary>
    public const double UpperBoundDelta = 0.05;

    private readonly RoutingPolicyFacts _policy = RoutingPolicyFacts.From(screening.Trust);

    public async Task<ReviewListView> ListAsync(string? status, int? limit, int? offset, CancellationToken ct)
    {
        var state = status ?? ReviewStates.Pending;
        if (!ReviewStates.All.Contains(state))
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidQuery,
                $"status must be one of {string.Join(", ", ReviewStates.All)}");
        var take = limit ?? DefaultLimit;
        var skip = offset ?? 0;
        if (take is < 1 or > MaxLimit || skip < 0)
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidQuery,
                $"limit must be 1..{MaxLimit} and offset 0 or more");
        var page = await store.ListAsync(state, take, skip, ct);
        return new ReviewListView(page.Items.Select(Item).ToList(), page.Total, take, skip);
    }

    public async Task<ReviewItem> GetAsync(string caseId, CancellationToken ct) =>
        await store.GetAsync(caseId, ct) is { } found ? Item(found) : throw NoReview();

    public async Task<ReviewItem> ClaimAsync(string caseId, Actor actor, CancellationToken ct)
    {
        var change = await store.ClaimAsync(caseId, actor, clock.GetUtcNow(), options.ClaimDuration, ct);
        return await AnswerAsync(change, caseId, actor, "claimed", ct);
    }

    public async Task<ReviewItem> ReleaseAsync(string caseId, Actor actor, bool asAdmin, CancellationToken ct)
    {
        var change = await store.ReleaseAsync(caseId, actor, asAdmin, clock.GetUtcNow(), ct);
        return await AnswerAsync(change, caseId, actor, "released", ct);
    }

    public async Task<ReviewItem> DecideAsync(string caseId, Actor actor, DecisionRequest? request, CancellationToken ct)
    {
        var label = request?.Label;
        if (label is null || !ReviewLabels.All.Contains(label))
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidLabel,
                $"label must be one of {string.Join(", ", ReviewLabels.All)}");
        var note = string.IsNullOrWhiteSpace(request!.Note) ? null : request.Note;
        if (note is { Length: > MaxNoteLength })
            throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidNote, $"note is limited to {MaxNoteLength} characters");
        var change = await store.DecideAsync(caseId, actor, label, note, clock.GetUtcNow(), ct);
        var item = await AnswerAsync(change, caseId, actor, "decided", ct);
        // The decision's transaction queued the verified report for the PACS (DICOM cases, when a PACS is configured).
        pacsOutbox.Notify();
        // A decided audit sample is new evidence on the automated error: the breaker looks at once. The decision is
        // already committed, so a failure here must not turn it into an error answer.
        if (item.Origin == ReviewOrigins.AuditSample)
        {
            try
            {
                await monitor.CheckAuditAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogBreakerCheckFailed(e);
            }
        }
        return item;
    }

    public async Task<ReviewStatsView> StatsAsync(CancellationToken ct) =>
        ToView(await store.StatsAsync(ct)) with { Automation = await monitor.StatusAsync(ct) };

    public static ReviewStatsView ToView(ReviewStats stats)
    {
        var n = stats.AuditSampleAgreements + stats.AuditSampleDisagreements;
        double? rate = n == 0 ? null : (double)stats.AuditSampleDisagreements / n;
        double? upper = n == 0 ? null : BinomialBounds.ClopperPearsonUpper((int)stats.AuditSampleDisagreements, (int)n, UpperBoundDelta);
        return new ReviewStatsView(stats.Pending, stats.Claimed, stats.Decided,
            new AuditSampleStatsView(n, stats.AuditSampleAgreements, stats.AuditSampleDisagreements, rate, upper));
    }

    private async Task<ReviewItem> AnswerAsync(ReviewChange change, string caseId, Actor actor, string action, CancellationToken ct)
    {
        switch (change.Outcome)
        {
            case ReviewOutcome.Done:
                LogChanged(caseId, action, actor.Name);
                return await GetAsync(caseId, ct);
            case ReviewOutcome.NotFound:
                throw NoReview();
            case ReviewOutcome.AlreadyDecided:
                throw new ApiException(StatusCodes.Status409Conflict, ApiErrorCodes.AlreadyDecided,
                    $"this case was already decided by {change.Review!.DecidedBy}");
            case ReviewOutcome.AlreadyClaimed:
                throw new ApiException(StatusCodes.Status409Conflict, ApiErrorCodes.AlreadyClaimed,
                    $"{change.Review!.ClaimedBy} holds the claim until {change.Review.ClaimExpiresAt:O}");
            default:
                throw new ApiException(StatusCodes.Status409Conflict, ApiErrorCodes.NotClaimedByYou,
                    "you do not hold a live claim on this case: claim it first");
        }
    }

    private ReviewItem Item(ReviewWithCase r) => ReviewItem.From(r.Review, ReviewCaseView.From(r.Case, _policy,
        blind: automation.BlindAuditSamples && r.Review.Origin == ReviewOrigins.AuditSample && r.Review.State != ReviewStates.Decided));

    private static ApiException NoReview() =>
        new(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "no review for this case");

    [LoggerMessage(Level = LogLevel.Error, Message = "the audit breaker could not be checked after a decision")]
    private partial void LogBreakerCheckFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "review of case {CaseId} {Action} by {Actor}")]
    private partial void LogChanged(string caseId, string action, string actor);
}
