using System.Data.Common;
using Dapper;

namespace CxrQa.Storage;

/// <summary>The DICOM objects a case sends to the PACS, one outbox row each.</summary>
public static class PacsObjectKinds
{
    /// <summary>The screening result as a Comprehensive SR (TID 1500), sent when the case is stored.</summary>
    public const string ResultReport = "result_sr";

    /// <summary>The Grad-CAM overlay as a Secondary Capture image, sent with the result.</summary>
    public const string Overlay = "overlay_sc";

    /// <summary>The amended report, VERIFIED by the radiologist who decided the review.</summary>
    public const string VerifiedReport = "verified_sr";

    /// <summary>What a newly stored case sends.</summary>
    public static IReadOnlyList<string> OnCreated { get; } = [ResultReport, Overlay];

    public static IReadOnlyList<string> All { get; } = [ResultReport, Overlay, VerifiedReport];
}

public static class PacsOutboxStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
}

/// <summary>
/// Whether results go to a PACS at all (a STOW-RS URL is configured), and which cases they go for: only a film that
/// came as DICOM has a study in the PACS to join; a JPEG or PNG has no patient, study or series to file results under.
/// </summary>
public sealed record PacsForwarding(bool Enabled)
{
    public const string DicomContentType = "application/dicom";

    public static PacsForwarding Off { get; } = new(false);

    public bool Forwards(string filmContentType) =>
        Enabled && string.Equals(filmContentType, DicomContentType, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One claimed outbox row. <paramref name="ClaimToken"/> proves the claim when the row is settled: a claim
/// whose lease ran out (and which another replica may have taken over) settles nothing.</summary>
public sealed record PacsOutboxItem(long Id, string CaseId, string Kind, int Attempts, DateTimeOffset CreatedAt, string ClaimToken);

/// <summary>An outbox row as it stands (inspection, tests, the case's trail).</summary>
public sealed record PacsOutboxEntry(long Id, string CaseId, string Kind, string State, int Attempts, DateTimeOffset NextAttemptAt,
    string? LastError, DateTimeOffset? SentAt);

public interface IPacsOutboxStore
{
    /// <summary>Claims up to <paramref name="limit"/> pending rows that are due at <paramref name="now"/> and not
    /// leased to anyone, for <paramref name="lease"/>; counts the attempt. Oldest first.</summary>
    Task<IReadOnlyList<PacsOutboxItem>> ClaimAsync(int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks a claimed row sent; false when the claim was lost (lease expired and taken over).</summary>
    Task<bool> MarkSentAsync(PacsOutboxItem item, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Releases a claimed row for another attempt at <paramref name="retryAt"/>, keeping the error (no PHI:
    /// a status code and the PACS's failure reason at most).</summary>
    Task<bool> ScheduleRetryAsync(PacsOutboxItem item, DateTimeOffset retryAt, string error, CancellationToken cancellationToken);

    /// <summary>Rows not sent yet (the depth gauge).</summary>
    Task<long> PendingCountAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<PacsOutboxEntry>> ForCaseAsync(string caseId, CancellationToken cancellationToken);
}

/// <summary>The outbox's SQL. Enqueueing runs inside the caller's transaction (the case insert, the review decision).</summary>
public sealed class SqlPacsOutboxStore(CxrQaDatabase database) : IPacsOutboxStore
{
    /// <summary>Adds one pending row per kind for the case, due now, inside <paramref name="tx"/>. A row that exists
    /// already is kept as it is (the unique index on case and kind makes this idempotent).</summary>
    public static async Task EnqueueAsync(DbConnection connection, DbTransaction tx, string caseId, IEnumerable<string> kinds,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (var kind in kinds)
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO pacs_outbox (case_id, kind, state, created_at, attempts, next_attempt_at)
                VALUES (@caseId, @kind, @state, @now, 0, @now)
                ON CONFLICT (case_id, kind) DO NOTHING
                """,
                new { caseId, kind, state = PacsOutboxStates.Pending, now = DbValues.ToDb(now) }, tx, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<PacsOutboxItem>> ClaimAsync(int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        // One statement: a row is claimed by whoever's UPDATE commits first. PostgreSQL picks the rows in a materialised
        // CTE (an IN (... LIMIT) subquery may be re-run per row there and claim more than the limit) and skips rows
        // another replica is claiming right now instead of waiting on them; SQLite has one writer at a time.
        var sql = database.Dialect == SqlDialect.Postgres
            ? """
                WITH due AS MATERIALIZED (
                    SELECT id FROM pacs_outbox
                    WHERE state = @pending AND next_attempt_at <= @now AND (claim_expires_at IS NULL OR claim_expires_at < @now)
                    ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED)
                UPDATE pacs_outbox SET claim_token = @token, claim_expires_at = @until, attempts = attempts + 1
                FROM due WHERE pacs_outbox.id = due.id
                RETURNING pacs_outbox.id AS Id, case_id AS CaseId, kind AS Kind, attempts AS Attempts, created_at AS CreatedAt
                """
            : """
                UPDATE pacs_outbox SET claim_token = @token, claim_expires_at = @until, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM pacs_outbox
                    WHERE state = @pending AND next_attempt_at <= @now AND (claim_expires_at IS NULL OR claim_expires_at < @now)
                    ORDER BY id LIMIT @limit)
                RETURNING id AS Id, case_id AS CaseId, kind AS Kind, attempts AS Attempts, created_at AS CreatedAt
                """;
        var token = Guid.NewGuid().ToString("N");
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClaimRow>(new CommandDefinition(sql,
            new { token, until = DbValues.ToDb(now + lease), now = DbValues.ToDb(now), limit, pending = PacsOutboxStates.Pending },
            cancellationToken: cancellationToken));
        return rows.OrderBy(r => r.Id).Select(r => new PacsOutboxItem(r.Id, r.CaseId, r.Kind, (int)r.Attempts, DbValues.Time(r.CreatedAt), token)).ToList();
    }

    public async Task<bool> MarkSentAsync(PacsOutboxItem item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pacs_outbox SET state = @sent, sent_at = @now, claim_token = NULL, claim_expires_at = NULL, last_error = NULL
            WHERE id = @Id AND claim_token = @ClaimToken AND state = @pending
            """,
            new { item.Id, item.ClaimToken, now = DbValues.ToDb(now), sent = PacsOutboxStates.Sent, pending = PacsOutboxStates.Pending },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> ScheduleRetryAsync(PacsOutboxItem item, DateTimeOffset retryAt, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE pacs_outbox SET next_attempt_at = @retryAt, last_error = @error, claim_token = NULL, claim_expires_at = NULL
            WHERE id = @Id AND claim_token = @ClaimToken AND state = @pending
            """,
            new { item.Id, item.ClaimToken, retryAt = DbValues.ToDb(retryAt), error, pending = PacsOutboxStates.Pending },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<long> PendingCountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM pacs_outbox WHERE state = @pending", new { pending = PacsOutboxStates.Pending }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<PacsOutboxEntry>> ForCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition("""
            SELECT id AS Id, case_id AS CaseId, kind AS Kind, state AS State, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   last_error AS LastError, sent_at AS SentAt
            FROM pacs_outbox WHERE case_id = @caseId ORDER BY id
            """, new { caseId }, cancellationToken: cancellationToken));
        return rows.Select(r => new PacsOutboxEntry(r.Id, r.CaseId, r.Kind, r.State, (int)r.Attempts, DbValues.Time(r.NextAttemptAt),
            r.LastError, r.SentAt is null or DBNull ? null : DbValues.Time(r.SentAt))).ToList();
    }

    private sealed class ClaimRow
    {
        public long Id { get; set; }
        public string CaseId { get; set; } = "";
        public string Kind { get; set; } = "";
        public long Attempts { get; set; }
        public object CreatedAt { get; set; } = "";
    }

    private sealed class EntryRow
    {
        public long Id { get; set; }
        public string CaseId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string State { get; set; } = "";
        public long Attempts { get; set; }
        public object NextAttemptAt { get; set; } = "";
        public string? LastError { get; set; }
        public object? SentAt { get; set; }
    }
}
