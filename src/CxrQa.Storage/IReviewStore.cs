namespace CxrQa.Storage;

/// <summary>
/// The review queue. Claim, release and decide are each one conditional UPDATE whose rows-affected decides the
/// outcome, with the row locked first (PostgreSQL <c>FOR UPDATE</c>, SQLite <c>BEGIN IMMEDIATE</c>) so that the
/// audit event written in the same transaction records the row exactly as the UPDATE found it. Times come from the
/// caller, so tests can stand at any instant.
/// </summary>
public interface IReviewStore
{
    Task<ReviewWithCase?> GetAsync(string caseId, CancellationToken cancellationToken);

    /// <summary>Reviews in one state, oldest queued first (ties by case id), with the total in that state.</summary>
    Task<ReviewPage> ListAsync(string state, int limit, int offset, CancellationToken cancellationToken);

    /// <summary>The same, of the cases <paramref name="scope"/> includes only (total included).</summary>
    Task<ReviewPage> ListAsync(string state, int limit, int offset, TeamScope scope, CancellationToken cancellationToken);

    /// <summary>Claims a pending review, an expired claim (a takeover) or refreshes the actor's own claim.</summary>
    Task<ReviewChange> ClaimAsync(string caseId, Actor actor, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Puts a claimed review back to pending; only its claimer, or anyone when <paramref name="asAdmin"/>.</summary>
    Task<ReviewChange> ReleaseAsync(string caseId, Actor actor, bool asAdmin, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records the label; only the holder of a live claim, and only once.</summary>
    Task<ReviewChange> DecideAsync(string caseId, Actor actor, string label, string? note, DateTimeOffset now, CancellationToken cancellationToken);

    Task<ReviewStats> StatsAsync(CancellationToken cancellationToken);

    /// <summary>Every decided review with its case, in order of decision (for export).</summary>
    Task<IReadOnlyList<ReviewWithCase>> DecidedAsync(CancellationToken cancellationToken);
}
