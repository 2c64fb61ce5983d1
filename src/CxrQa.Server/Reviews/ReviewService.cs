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

    /// <param name="scope">The teams the caller reviews (<see cref="TeamScope"/>); the page and its total count only them.</param>
    public async Task<ReviewListView> ListAsync(string? status, int? limit, int? offset, TeamScope scope, CancellationToken ct)
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
        var page = await store.ListAsync(state, take, skip, scope, ct);
        return new ReviewListView(page.Items.Select(Item).ToList(), page.Total, take, skip);
    }

    /// <summary>A review the caller's <paramref name="scope"/> includes; another team's is answered like an unknown id.</summary>
    public async Task<ReviewItem> GetAsync(string caseId, TeamScope scope, CancellationToken ct) =>
        Item(await InScopeAsync(caseId, scope, ct));

    public async Task<ReviewItem> ClaimAsync(string caseId, Actor actor, TeamScope scope, CancellationToken ct)
    {
        await InScopeAsync(caseId, scope, ct);
        var change = await store.ClaimAsync(caseId, actor, clock.GetUtcNow(), options.ClaimDuration, ct);
        return await AnswerAsync(change, caseId, actor, "claimed", ct);
    }

    public async Task<ReviewItem> ReleaseAsync(string caseId, Actor actor, bool asAdmin, TeamScope scope, CancellationToken ct)
    {
        await InScopeAsync(caseId, scope, ct);
        var change = await store.ReleaseAsync(caseId, actor, asAdmin, clock.GetUtcNow(), ct);
        return await AnswerAsync(change, caseId, actor, "released", ct);
    }

    public async Task<ReviewItem> DecideAsync(string caseId, Actor actor, TeamScope scope, DecisionRequest? request, CancellationToken ct)
    {
        await InScopeAsync(caseId, scope, ct);
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
                return await store.GetAsync(caseId, ct) is { } found ? Item(found) : throw NoReview();
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

    /// <summary>The review when it exists and <paramref name="scope"/> includes its case; otherwise the same 404 as for an
    /// unknown id, so another team's case ids cannot be probed. Checked before the change: a case's team never changes
    /// once recorded (only a team-less case may take its key's team), so a case in scope here is still in scope when
    /// the store changes it.</summary>
    private async Task<ReviewWithCase> InScopeAsync(string caseId, TeamScope scope, CancellationToken ct) =>
        await store.GetAsync(caseId, ct) is { } found && scope.Includes(found.Case) ? found : throw NoReview();

    private ReviewItem Item(ReviewWithCase r) => ReviewItem.From(r.Review, ReviewCaseView.From(r.Case, _policy,
        blind: automation.BlindAuditSamples && r.Review.Origin == ReviewOrigins.AuditSample && r.Review.State != ReviewStates.Decided));

    private static ApiException NoReview() =>
        new(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "no review for this case");

    [LoggerMessage(Level = LogLevel.Error, Message = "the audit breaker could not be checked after a decision")]
    private partial void LogBreakerCheckFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "review of case {CaseId} {Action} by {Actor}")]
    private partial void LogChanged(string caseId, string action, string actor);
}
