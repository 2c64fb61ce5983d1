using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using CxrQa.Domain;

namespace CxrQa.Storage;

/// <summary>The review store over Dapper, portable between SQLite and PostgreSQL (see <see cref="IReviewStore"/>). With
/// <paramref name="pacs"/> enabled, a decision on a DICOM case queues the verified report for the PACS in its own
/// transaction.</summary>
public sealed class SqlReviewStore(CxrQaDatabase database, PacsForwarding? pacs = null) : IReviewStore
{
    private readonly PacsForwarding _pacs = pacs ?? PacsForwarding.Off;

    private const string ReviewColumns = """
        r.case_id AS CaseId, r.state AS State, r.origin AS Origin, r.queued_at AS QueuedAt, r.claimed_by AS ClaimedBy,
        r.claimed_at AS ClaimedAt, r.claim_expires_at AS ClaimExpiresAt, r.decided_by AS DecidedBy,
        r.decided_at AS DecidedAt, r.label AS Label, r.note AS Note
        """;

    private static readonly string JoinedSelect =
        $"SELECT {ReviewColumns}, {CaseSql.Columns("c")} FROM reviews r JOIN cases c ON c.id = r.case_id";

    public async Task<ReviewWithCase?> GetAsync(string caseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await QueryJoinedAsync(connection, $"{JoinedSelect} WHERE r.case_id = @caseId", new { caseId }, cancellationToken);
        return rows.SingleOrDefault();
    }

    public Task<ReviewPage> ListAsync(string state, int limit, int offset, CancellationToken cancellationToken) =>
        ListAsync(state, limit, offset, TeamScope.Everyone, cancellationToken);

    public async Task<ReviewPage> ListAsync(string state, int limit, int offset, TeamScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await database.OpenAsync(cancellationToken);
        var inScope = scope.SqlCondition("c");
        var items = await QueryJoinedAsync(connection,
            $"{JoinedSelect} WHERE r.state = @state AND {inScope} ORDER BY r.queued_at, r.case_id LIMIT @limit OFFSET @offset",
            new { state, limit, offset, scopeTeam = scope.Team }, cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM reviews r JOIN cases c ON c.id = r.case_id WHERE r.state = @state AND {inScope}",
            new { state, scopeTeam = scope.Team }, cancellationToken: cancellationToken));
        return new ReviewPage(items, total);
    }

    public async Task<IReadOnlyList<ReviewWithCase>> DecidedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryJoinedAsync(connection, $"{JoinedSelect} WHERE r.state = @state ORDER BY r.decided_at, r.case_id",
            new { state = ReviewStates.Decided }, cancellationToken);
    }

    public Task<ReviewChange> ClaimAsync(string caseId, Actor actor, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        ChangeAsync(caseId, actor, now, """
            UPDATE reviews SET state = 'claimed', claimed_by = @actor, claimed_at = @now, claim_expires_at = @expires
            WHERE case_id = @caseId
              AND (state = 'pending' OR (state = 'claimed' AND (claim_expires_at < @now OR claimed_by = @actor)))
            """,
            new { caseId, actor = actor.Name, now = DbValues.ToDb(now), expires = DbValues.ToDb(now + duration) },
            before => before.State == ReviewStates.Claimed && before.ClaimedBy != actor.Name ? AuditActions.ClaimTakenOver : AuditActions.Claimed,
            before => before.State == ReviewStates.Decided ? ReviewOutcome.AlreadyDecided : ReviewOutcome.AlreadyClaimed,
            cancellationToken);

    public Task<ReviewChange> ReleaseAsync(string caseId, Actor actor, bool asAdmin, DateTimeOffset now, CancellationToken cancellationToken) =>
        ChangeAsync(caseId, actor, now, $"""
            UPDATE reviews SET state = 'pending', claimed_by = NULL, claimed_at = NULL, claim_expires_at = NULL
            WHERE case_id = @caseId AND state = 'claimed'{(asAdmin ? "" : " AND claimed_by = @actor")}
            """,
            new { caseId, actor = actor.Name },
            _ => AuditActions.Released,
            before => before.State == ReviewStates.Decided ? ReviewOutcome.AlreadyDecided : ReviewOutcome.NotClaimedByYou,
            cancellationToken);

    public Task<ReviewChange> DecideAsync(string caseId, Actor actor, string label, string? note, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!ReviewLabels.All.Contains(label))
            throw new ArgumentException($"label must be one of {string.Join(", ", ReviewLabels.All)}", nameof(label));
        return ChangeAsync(caseId, actor, now, """
            UPDATE reviews SET state = 'decided', decided_by = @actor, decided_at = @now, label = @label, note = @note
            WHERE case_id = @caseId AND state = 'claimed' AND claimed_by = @actor AND claim_expires_at >= @now
            """,
            new { caseId, actor = actor.Name, now = DbValues.ToDb(now), label, note },
            _ => AuditActions.Decided,
            before => before.State == ReviewStates.Decided ? ReviewOutcome.AlreadyDecided : ReviewOutcome.NotClaimedByYou,
            cancellationToken, (connection, tx, ct) => EnqueueVerifiedReportAsync(connection, tx, caseId, now, ct));
    }

    public async Task<ReviewStats> StatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var states = (await connection.QueryAsync<KeyCount>(new CommandDefinition(
            "SELECT state AS Key, COUNT(*) AS Count FROM reviews GROUP BY state", cancellationToken: cancellationToken)))
            .ToDictionary(k => k.Key, k => k.Count);
        var labels = (await connection.QueryAsync<KeyCount>(new CommandDefinition(
            "SELECT label AS Key, COUNT(*) AS Count FROM reviews WHERE state = 'decided' GROUP BY label", cancellationToken: cancellationToken)))
            .ToDictionary(k => k.Key, k => k.Count);
        // Agreement of the reviewer with the automated answer; an Unreadable film says nothing about the model's error.
        var sample = await connection.QuerySingleAsync<AgreementRow>(new CommandDefinition("""
            SELECT COALESCE(SUM(CASE WHEN r.label = c.prediction THEN 1 ELSE 0 END), 0) AS Agreements,
                   COALESCE(SUM(CASE WHEN r.label <> c.prediction THEN 1 ELSE 0 END), 0) AS Disagreements
            FROM reviews r JOIN cases c ON c.id = r.case_id
            WHERE r.state = 'decided' AND r.origin = 'audit_sample' AND r.label IN ('Normal', 'Pneumonia')
            """, cancellationToken: cancellationToken));
        return new ReviewStats(
            states.GetValueOrDefault(ReviewStates.Pending), states.GetValueOrDefault(ReviewStates.Claimed),
            states.GetValueOrDefault(ReviewStates.Decided), labels, sample.Agreements, sample.Disagreements);
    }

    /// <summary>Locks the row, runs the conditional UPDATE, and on success writes the audit event (before/after)
    /// in the same transaction. Zero rows affected: refused, classified from the locked row.</summary>
    private async Task<ReviewChange> ChangeAsync(string caseId, Actor actor, DateTimeOffset now, string update, object parameters,
        Func<ReviewRecord, string> action, Func<ReviewRecord, ReviewOutcome> refusal, CancellationToken ct,
        Func<DbConnection, DbTransaction, CancellationToken, Task>? alsoOnChange = null)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var lockSuffix = database.Dialect == SqlDialect.Postgres ? " FOR UPDATE" : "";
        var before = await ReadAsync(connection, tx, caseId, lockSuffix, ct);
        if (before is null)
            return new ReviewChange(ReviewOutcome.NotFound, null);
        var affected = await connection.ExecuteAsync(new CommandDefinition(update, parameters, tx, cancellationToken: ct));
        if (affected != 1)
        {
            await tx.RollbackAsync(ct);
            return new ReviewChange(refusal(before), before);
        }
        var after = (await ReadAsync(connection, tx, caseId, "", ct))!;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_events (case_id, actor, actor_key_id, action, at, before_json, after_json)
            VALUES (@caseId, @actor, @actorKeyId, @action, @at, @before, @after)
            """,
            new { caseId, actor = actor.Name, actorKeyId = actor.KeyId, action = action(before), at = DbValues.ToDb(now), before = AuditJson(before), after = AuditJson(after) },
            tx, cancellationToken: ct));
        if (alsoOnChange is not null)
            await alsoOnChange(connection, tx, ct);
        await tx.CommitAsync(ct);
        return new ReviewChange(ReviewOutcome.Done, after);
    }

    private async Task EnqueueVerifiedReportAsync(DbConnection connection, DbTransaction tx, string caseId, DateTimeOffset now, CancellationToken ct)
    {
        if (!_pacs.Enabled)
            return;
        var contentType = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT content_type FROM cases WHERE id = @caseId", new { caseId }, tx, cancellationToken: ct));
        if (contentType is not null && _pacs.Forwards(contentType))
            await SqlPacsOutboxStore.EnqueueAsync(connection, tx, caseId, [PacsObjectKinds.VerifiedReport], now, ct);
    }

    /// <summary>SQLite: BEGIN IMMEDIATE takes the database's write lock before the read, so a concurrent change in
    /// this process (or another) waits instead of deciding on a stale row. PostgreSQL locks the row with FOR UPDATE.</summary>
    private async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        database.Dialect == SqlDialect.Sqlite
            ? ((SqliteConnection)connection).BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(ct);

    private static async Task<ReviewRecord?> ReadAsync(DbConnection connection, DbTransaction tx, string caseId, string suffix, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(
            $"SELECT {ReviewColumns} FROM reviews r WHERE r.case_id = @caseId{suffix}", new { caseId }, tx, cancellationToken: ct));
        return row?.ToRecord();
    }

    private static async Task<IReadOnlyList<ReviewWithCase>> QueryJoinedAsync(DbConnection connection, string sql, object parameters, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<ReviewRow, CaseRow, ReviewWithCase>(
            new CommandDefinition(sql, parameters, cancellationToken: ct),
            (r, c) => new ReviewWithCase(r.ToRecord(), c.ToRecord()),
            splitOn: "Id");
        return rows.ToList();
    }

    /// <summary>The audit trail's view of a review row: what changed hands and what was decided.</summary>
    private static string AuditJson(ReviewRecord r) => new JsonObject
    {
        ["state"] = r.State,
        ["origin"] = r.Origin,
        ["claimed_by"] = r.ClaimedBy,
        ["claim_expires_at"] = r.ClaimExpiresAt?.ToString("O"),
        ["decided_by"] = r.DecidedBy,
        ["label"] = r.Label,
        ["note"] = r.Note,
    }.ToJsonString();

    private sealed class ReviewRow
    {
        public string CaseId { get; set; } = "";
        public string State { get; set; } = "";
        public string Origin { get; set; } = "";
        public object QueuedAt { get; set; } = "";
        public string? ClaimedBy { get; set; }
        public object? ClaimedAt { get; set; }
        public object? ClaimExpiresAt { get; set; }
        public string? DecidedBy { get; set; }
        public object? DecidedAt { get; set; }
        public string? Label { get; set; }
        public string? Note { get; set; }

        public ReviewRecord ToRecord() => new(CaseId, State, Origin, DbValues.Time(QueuedAt), ClaimedBy, Optional(ClaimedAt),
            Optional(ClaimExpiresAt), DecidedBy, Optional(DecidedAt), Label, Note);

        private static DateTimeOffset? Optional(object? value) => value is null or DBNull ? null : DbValues.Time(value);
    }

    private sealed class KeyCount
    {
        public string Key { get; set; } = "";
        public long Count { get; set; }
    }

    private sealed class AgreementRow
    {
        public long Agreements { get; set; }
        public long Disagreements { get; set; }
    }
}
