using CxrQa.Domain;

namespace CxrQa.Storage;

/// <summary>One screened film as stored: the answer, where its files are (relative to <c>cases/&lt;id&gt;/</c>), and
/// what the decoder learned (metadata JSON without patient data). JSON columns are written by the caller.</summary>
public sealed record CaseRecord
{
    public required string Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Stored under its wire name (<see cref="CaseStatusNames"/>).</summary>
    public required CaseStatus Status { get; init; }
    public required ScreeningClass Prediction { get; init; }
    public required double PneumoniaProbability { get; init; }
    public required double Confidence { get; init; }
    public required double Logit { get; init; }
    /// <summary>Null when the bundle has no OOD gate.</summary>
    public double? OodScore { get; init; }
    /// <summary>Why the case went to a radiologist (empty when automated); stored as a JSON array of the codes' names.</summary>
    public required IReadOnlyList<ReasonCode> Reasons { get; init; }
    public required string HeatmapGridJson { get; init; }
    public required string ModelName { get; init; }
    public required string ModelVersion { get; init; }
    /// <summary>The model that answered.</summary>
    public ModelIdentity Model => new(ModelName, ModelVersion);
    /// <summary>Why the case went where it went, in words, as worded when it was answered (under the routing policy in
    /// force then, not whichever model is loaded now). Null for cases stored before migration 8.</summary>
    public string? Message { get; init; }
    public required string InputSha256 { get; init; }
    public required string FilmFile { get; init; }
    public required string ContentType { get; init; }
    public required string HeatmapFile { get; init; }
    public required string MetadataJson { get; init; }
    /// <summary>API key name, or "anonymous" when keys are not required.</summary>
    public required string SubmittedBy { get; init; }
    /// <summary>Id of the API key that submitted the case, its owner; null when it came without a key (open loopback
    /// policy) or before migration 6 recorded owners. Submitter keys read only the cases they own.</summary>
    public string? SubmittedKeyId { get; init; }
    /// <summary>The team of the owner key when it submitted the case (migration 9); null when it had none or the case
    /// came without a key. Who may review the case follows it: <see cref="TeamScope"/>.</summary>
    public string? SubmittedTeam { get; init; }
}

/// <summary>An entry of the append-only audit trail.</summary>
public sealed record AuditEvent(long Id, string CaseId, string Actor, string? ActorKeyId, string Action, DateTimeOffset At, string? BeforeJson, string? AfterJson);

public static class AuditActions
{
    public const string Created = "created";
    public const string Claimed = "claimed";
    public const string Released = "released";
    public const string ClaimTakenOver = "claim_taken_over";
    public const string Decided = "decided";
    /// <summary>Someone was served the film, the DICOM or a picture made from it (preview, overlay): reads of patient
    /// data are audited like changes. <c>after</c> says which view and whether it was de-identified.</summary>
    public const string FilmRead = "film_read";
}

public interface ICaseStore
{
    /// <summary>Inserts the case, its "created" audit event and, when it goes to the review queue, its review row,
    /// in one transaction. A pending_review case is queued as "routed"; an automated one as "audit_sample" when
    /// <paramref name="auditSample"/> (see <see cref="AuditSampling"/>). Returns the review row, or null.</summary>
    Task<ReviewRecord?> InsertAsync(CaseRecord record, Actor actor, bool auditSample, CancellationToken cancellationToken);

    Task<CaseRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string id, CancellationToken cancellationToken);

    Task<long> CountByStatusAsync(CaseStatus status, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEvent>> AuditTrailAsync(string caseId, CancellationToken cancellationToken);

    /// <summary>Appends a <see cref="AuditActions.FilmRead"/> event: <paramref name="actor"/> was served
    /// <paramref name="view"/> of the case's film (deidentified: whether patient data had been removed first).</summary>
    Task RecordFilmReadAsync(string caseId, Actor actor, string view, bool deidentified, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Round trip to the database (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
