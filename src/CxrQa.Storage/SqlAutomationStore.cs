using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CxrQa.Storage;

/// <summary>The automation store over Dapper, portable between SQLite and PostgreSQL (see <see cref="IAutomationStore"/>).</summary>
public sealed class SqlAutomationStore(CxrQaDatabase database) : IAutomationStore
{
    private const string Columns = """
        site AS Site, reference_id AS ReferenceId, paused AS Paused, paused_at AS PausedAt, pause_cause AS PauseCause,
        pause_detail AS PauseDetail, films AS Films, statistics_json AS StatisticsJson, updated_at AS UpdatedAt
        """;

    public async Task<AutomationRecord?> GetAsync(string site, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM automation_state WHERE site = @site", new { site }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<AutomationRecord> UpdateAsync(string site, string referenceId, DateTimeOffset now,
        Func<AutomationRecord, AutomationChange> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = database.Dialect == SqlDialect.Sqlite
            ? ((SqliteConnection)connection).BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
        // The row exists before it is locked, so two replicas creating it at once do not both insert.
        var fresh = AutomationRecord.Fresh(site, referenceId, now);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO automation_state (site, reference_id, paused, films, statistics_json, updated_at)
            VALUES (@Site, @ReferenceId, @Paused, 0, '{}', @UpdatedAt) ON CONFLICT (site) DO NOTHING
            """, new { fresh.Site, fresh.ReferenceId, fresh.Paused, UpdatedAt = DbValues.ToDb(now) }, tx, cancellationToken: cancellationToken));
        var lockSuffix = database.Dialect == SqlDialect.Postgres ? " FOR UPDATE" : "";
        var current = (await connection.QuerySingleAsync<StateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM automation_state WHERE site = @site{lockSuffix}", new { site }, tx, cancellationToken: cancellationToken))).ToRecord();
        var change = update(current);
        var next = change.Record with { Site = site, UpdatedAt = now };
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE automation_state SET reference_id = @ReferenceId, paused = @Paused, paused_at = @PausedAt,
                pause_cause = @PauseCause, pause_detail = @PauseDetail, films = @Films, statistics_json = @StatisticsJson,
                updated_at = @UpdatedAt
            WHERE site = @Site
            """,
            new
            {
                next.Site, next.ReferenceId, next.Paused, PausedAt = next.PausedAt is { } p ? DbValues.ToDb(p) : (DateTime?)null,
                next.PauseCause, next.PauseDetail, next.Films, next.StatisticsJson, UpdatedAt = DbValues.ToDb(now),
            }, tx, cancellationToken: cancellationToken));
        if (change.Event is { } e)
            await InsertEventAsync(connection, tx, site, e, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return next;
    }

    public async Task<IReadOnlyList<AutomationEvent>> EventsAsync(string site, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition("""
            SELECT id AS Id, site AS Site, actor AS Actor, actor_key_id AS ActorKeyId, action AS Action, at AS At, detail_json AS DetailJson
            FROM automation_events WHERE site = @site ORDER BY id DESC LIMIT @limit
            """, new { site, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new AutomationEvent(r.Id, r.Site, r.Actor, r.ActorKeyId, r.Action, DbValues.Time(r.At), r.DetailJson)).ToList();
    }

    public async Task<IReadOnlyList<AuditSampleCount>> AuditSampleCountsAsync(string modelName, string modelVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // An Unreadable film says nothing about the model's error; only this model's answers count against its promise.
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition("""
            SELECT c.prediction AS Prediction, COUNT(*) AS Samples,
                   COALESCE(SUM(CASE WHEN r.label <> c.prediction THEN 1 ELSE 0 END), 0) AS Errors
            FROM reviews r JOIN cases c ON c.id = r.case_id
            WHERE r.state = 'decided' AND r.origin = 'audit_sample' AND r.label IN ('Normal', 'Pneumonia')
              AND c.model_name = @modelName AND c.model_version = @modelVersion
            GROUP BY c.prediction
            """, new { modelName, modelVersion }, cancellationToken: cancellationToken));
        return rows.Select(r => new AuditSampleCount(r.Prediction, r.Samples, r.Errors)).ToList();
    }

    private static Task InsertEventAsync(DbConnection connection, DbTransaction tx, string site, AutomationEventDraft e, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO automation_events (site, actor, actor_key_id, action, at, detail_json)
            VALUES (@site, @Actor, @ActorKeyId, @Action, @at, @DetailJson)
            """, new { site, e.Actor, e.ActorKeyId, e.Action, at = DbValues.ToDb(now), e.DetailJson }, tx, cancellationToken: ct));

    private sealed class StateRow
    {
        public string Site { get; set; } = "";
        public string ReferenceId { get; set; } = "";
        public object Paused { get; set; } = false;
        public object? PausedAt { get; set; }
        public string? PauseCause { get; set; }
        public string? PauseDetail { get; set; }
        public long Films { get; set; }
        public string StatisticsJson { get; set; } = "{}";
        public object UpdatedAt { get; set; } = "";

        public AutomationRecord ToRecord() => new(Site, ReferenceId, DbValues.Bool(Paused),
            PausedAt is null ? null : DbValues.Time(PausedAt), PauseCause, PauseDetail, Films, StatisticsJson, DbValues.Time(UpdatedAt));
    }

    private sealed class EventRow
    {
        public long Id { get; set; }
        public string Site { get; set; } = "";
        public string Actor { get; set; } = "";
        public string? ActorKeyId { get; set; }
        public string Action { get; set; } = "";
        public object At { get; set; } = "";
        public string DetailJson { get; set; } = "{}";
    }

    private sealed class CountRow
    {
        public string Prediction { get; set; } = "";
        public long Samples { get; set; }
        public long Errors { get; set; }
    }
}
