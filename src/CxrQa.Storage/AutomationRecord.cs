namespace CxrQa.Storage;

/// <summary>Why automation stopped.</summary>
public static class PauseCauses
{
    /// <summary>The unlabelled drift monitor alarmed.</summary>
    public const string Drift = "drift";
    /// <summary>The audit sample's error bound passed a class's promise.</summary>
    public const string AuditBreaker = "audit_breaker";
}

public static class AutomationActions
{
    public const string Paused = "automation_paused";
    public const string Resumed = "automation_resumed";
    /// <summary>The monitor started over for a new reference (a new or recertified bundle).</summary>
    public const string Reset = "monitor_reset";
}

/// <summary>A site's automation switch and drift-monitor state, as stored (one row per site, shared by replicas).</summary>
/// <param name="ReferenceId">The bundle (name@version) whose calibration reference the statistics are measured against.</param>
/// <param name="StatisticsJson">Each drift signal's CUSUM statistic, as a JSON object.</param>
public sealed record AutomationRecord(
    string Site,
    string ReferenceId,
    bool Paused,
    DateTimeOffset? PausedAt,
    string? PauseCause,
    string? PauseDetail,
    long Films,
    string StatisticsJson,
    DateTimeOffset UpdatedAt)
{
    public static AutomationRecord Fresh(string site, string referenceId, DateTimeOffset now) =>
        new(site, referenceId, false, null, null, null, 0, "{}", now);
}

/// <summary>One entry of the automation trail: who paused or resumed, when and why (detail is a JSON object).</summary>
public sealed record AutomationEvent(long Id, string Site, string Actor, string? ActorKeyId, string Action, DateTimeOffset At, string DetailJson);

/// <summary>What an update did: the new row and, when the switch moved, the event to record with it.</summary>
public sealed record AutomationChange(AutomationRecord Record, AutomationEventDraft? Event);

/// <param name="ActorKeyId">The API key of an admin's action; null for the monitors themselves.</param>
public sealed record AutomationEventDraft(string Actor, string Action, string DetailJson, string? ActorKeyId = null);

/// <summary>Audit-sample decisions of one predicted class (Unreadable excluded).</summary>
public sealed record AuditSampleCount(string Prediction, long Samples, long Errors);

/// <summary>
/// The automation state. <see cref="UpdateAsync"/> reads the site's row locked (PostgreSQL <c>FOR UPDATE</c>,
/// SQLite <c>BEGIN IMMEDIATE</c>), lets a pure function decide the new row, and writes it with its event in one
/// transaction: replicas observing films at the same time serialise on the row, so no film is lost from the
/// statistics and a pause is recorded exactly once.
/// </summary>
public interface IAutomationStore
{
    /// <summary>The site's row, or null before the first update.</summary>
    Task<AutomationRecord?> GetAsync(string site, CancellationToken cancellationToken);

    /// <param name="update">Gets the current row (a fresh one for the reference when none exists) and returns the new one.</param>
    Task<AutomationRecord> UpdateAsync(string site, string referenceId, DateTimeOffset now, Func<AutomationRecord, AutomationChange> update,
        CancellationToken cancellationToken);

    /// <summary>The site's trail, newest first.</summary>
    Task<IReadOnlyList<AutomationEvent>> EventsAsync(string site, int limit, CancellationToken cancellationToken);

    /// <summary>Decided audit-sample reviews of cases answered by this model, per predicted class.</summary>
    Task<IReadOnlyList<AuditSampleCount>> AuditSampleCountsAsync(string modelName, string modelVersion, CancellationToken cancellationToken);
}
