using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CxrQa.Server.Cases;
using CxrQa.Storage;

namespace CxrQa.Server.Reviews;

/// <summary>A review as the API shows it (docs/review-api.md). <see cref="Case"/> is left out where the review is
/// itself part of a case's answer (GET /cases/{id}).</summary>
public sealed record ReviewItem(
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
    string? Note,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReviewCaseView? Case)
{
    public static ReviewItem From(ReviewRecord r, ReviewCaseView? caseView = null) => new(
        r.CaseId, r.State, r.Origin, r.QueuedAt, r.ClaimedBy, r.ClaimedAt, r.ClaimExpiresAt, r.DecidedBy, r.DecidedAt,
        r.Label, r.Note, caseView);
}

/// <summary>What a reviewer needs of the case: the model's answer and where to fetch the pictures. For a blinded
/// audit sample the answer (prediction, probabilities, reasons, heatmap) is left out: the audit measures the AI's
/// error only if the radiologist reads the film without it.</summary>
public sealed record ReviewCaseView(
    string? Prediction,
    double? PneumoniaProbability,
    double? Confidence,
    string Status,
    IReadOnlyList<string> Reasons,
    string Message,
    DateTimeOffset Created,
    double[][]? HeatmapGrid,
    string ImageUrl,
    string DisplayUrl,
    string ThumbnailUrl,
    string? HeatmapUrl,
    bool Blinded)
{
    public const string BlindedMessage = "Audit sample: read this film on its own; the AI's answer is hidden until the audit is over";

    public static ReviewCaseView From(CaseRecord record, RoutingPolicyFacts policy, bool blind)
    {
        var view = CaseView.From(record, policy, review: null);
        if (blind)
            return new ReviewCaseView(null, null, null, view.Status, [], BlindedMessage, view.Created, null, view.ImageUrl,
                CaseUrls.Display(record.Id), CaseUrls.Thumbnail(record.Id), null, true);
        return new ReviewCaseView(view.Prediction, view.PneumoniaProbability, view.Confidence, view.Status, view.Reasons,
            view.Message, view.Created, view.HeatmapGrid, view.ImageUrl, CaseUrls.Display(record.Id),
            CaseUrls.Thumbnail(record.Id), view.HeatmapUrl, false);
    }
}

public sealed record ReviewListView(IReadOnlyList<ReviewItem> Items, long Total, int Limit, int Offset);

/// <param name="Automation">Whether this site answers on its own, and the monitors' evidence (null when the
/// automation state could not be read).</param>
public sealed record ReviewStatsView(long Pending, long Claimed, long Decided, AuditSampleStatsView AuditSample,
    CxrQa.Admin.Automation.AutomationStatusView? Automation = null);

/// <summary>Sampled automated answers checked by a reviewer: the realised automated error rate and its one-sided 95 %
/// Clopper-Pearson upper bound (null until one is decided).</summary>
public sealed record AuditSampleStatsView(long Decided, long Agreements, long Disagreements, double? ErrorRate,
    // The snake_case policy would write "error_rate_upper95"; the contract spells the 95 as its own word.
    [property: JsonPropertyName("error_rate_upper_95")] double? ErrorRateUpper95);

public sealed record AuditListView(IReadOnlyList<AuditItemView> Items);

public sealed record AuditItemView(long Id, string CaseId, string Actor, string? ActorKeyId, string Action, DateTimeOffset At, JsonNode? Before, JsonNode? After)
{
    public static AuditItemView From(AuditEvent e) => new(e.Id, e.CaseId, e.Actor, e.ActorKeyId, e.Action, e.At,
        e.BeforeJson is null ? null : JsonNode.Parse(e.BeforeJson), e.AfterJson is null ? null : JsonNode.Parse(e.AfterJson));
}

/// <summary>Body of POST /reviews/{id}/decision.</summary>
public sealed record DecisionRequest(string? Label, string? Note);
