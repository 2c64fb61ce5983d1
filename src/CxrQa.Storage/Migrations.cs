using System.Data.Common;
using Dapper;

namespace CxrQa.Storage;

/// <summary>One numbered schema step. The SQL differs per dialect only where the engines differ (identity columns,
/// time and boolean types); everything else is kept portable.</summary>
public sealed record Migration(int Version, string Name, string Sqlite, string Postgres)
{
    /// <summary>A step whose SQL is the same in both dialects.</summary>
    public Migration(int version, string name, string portable) : this(version, name, portable, portable) { }

    public string For(SqlDialect dialect) => dialect == SqlDialect.Postgres ? Postgres : Sqlite;
}

/// <summary>
/// Applies the numbered migrations at start-up, each in its own transaction with its row in schema_migrations.
/// Idempotent; on PostgreSQL two replicas starting together serialise on an advisory lock, on SQLite on
/// BEGIN IMMEDIATE. New tables (review claims, decisions) come as new numbers: never edit an applied one.
/// </summary>
public static class SchemaMigrations
{
    /// <summary>Advisory lock key: "CXRQAMIG" as ASCII.</summary>
    public const long AdvisoryLockKey = 0x4358525141_4D4947;

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "cases and audit events",
            Sqlite: """
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY,
                    created_at TEXT NOT NULL,
                    status TEXT NOT NULL,
                    prediction TEXT NOT NULL,
                    pneumonia_probability DOUBLE PRECISION NOT NULL,
                    confidence DOUBLE PRECISION NOT NULL,
                    logit DOUBLE PRECISION NOT NULL,
                    ood_score DOUBLE PRECISION NULL,
                    reasons_json TEXT NOT NULL,
                    heatmap_grid_json TEXT NOT NULL,
                    model_name TEXT NOT NULL,
                    model_version TEXT NOT NULL,
                    input_sha256 TEXT NOT NULL,
                    film_file TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    heatmap_file TEXT NOT NULL,
                    metadata_json TEXT NOT NULL,
                    submitted_by TEXT NOT NULL
                );
                CREATE INDEX ix_cases_status ON cases (status);
                CREATE TABLE audit_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases (id),
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    at TEXT NOT NULL,
                    before_json TEXT NULL,
                    after_json TEXT NULL
                );
                CREATE INDEX ix_audit_events_case ON audit_events (case_id);
                """,
            Postgres: """
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY,
                    created_at TIMESTAMPTZ NOT NULL,
                    status TEXT NOT NULL,
                    prediction TEXT NOT NULL,
                    pneumonia_probability DOUBLE PRECISION NOT NULL,
                    confidence DOUBLE PRECISION NOT NULL,
                    logit DOUBLE PRECISION NOT NULL,
                    ood_score DOUBLE PRECISION NULL,
                    reasons_json TEXT NOT NULL,
                    heatmap_grid_json TEXT NOT NULL,
                    model_name TEXT NOT NULL,
                    model_version TEXT NOT NULL,
                    input_sha256 TEXT NOT NULL,
                    film_file TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    heatmap_file TEXT NOT NULL,
                    metadata_json TEXT NOT NULL,
                    submitted_by TEXT NOT NULL
                );
                CREATE INDEX ix_cases_status ON cases (status);
                CREATE TABLE audit_events (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES cases (id),
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    at TIMESTAMPTZ NOT NULL,
                    before_json TEXT NULL,
                    after_json TEXT NULL
                );
                CREATE INDEX ix_audit_events_case ON audit_events (case_id);
                """),
        new(2, "api keys",
            Sqlite: """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    key_sha256 TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL,
                    revoked INTEGER NOT NULL DEFAULT 0
                );
                """,
            Postgres: """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    key_sha256 TEXT NOT NULL UNIQUE,
                    created_at TIMESTAMPTZ NOT NULL,
                    revoked BOOLEAN NOT NULL DEFAULT FALSE
                );
                """),
        // One review row per queued case. The back-fill queues the cases that were already pending_review, at the
        // time they were created, so the queue's order is the order of arrival.
        new(3, "review queue",
            Sqlite: """
                CREATE TABLE reviews (
                    case_id TEXT PRIMARY KEY REFERENCES cases (id),
                    state TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    queued_at TEXT NOT NULL,
                    claimed_by TEXT NULL,
                    claimed_at TEXT NULL,
                    claim_expires_at TEXT NULL,
                    decided_by TEXT NULL,
                    decided_at TEXT NULL,
                    label TEXT NULL,
                    note TEXT NULL
                );
                CREATE INDEX ix_reviews_queue ON reviews (state, queued_at, case_id);
                INSERT INTO reviews (case_id, state, origin, queued_at)
                    SELECT id, 'pending', 'routed', created_at FROM cases WHERE status = 'pending_review';
                """,
            Postgres: """
                CREATE TABLE reviews (
                    case_id TEXT PRIMARY KEY REFERENCES cases (id),
                    state TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    queued_at TIMESTAMPTZ NOT NULL,
                    claimed_by TEXT NULL,
                    claimed_at TIMESTAMPTZ NULL,
                    claim_expires_at TIMESTAMPTZ NULL,
                    decided_by TEXT NULL,
                    decided_at TIMESTAMPTZ NULL,
                    label TEXT NULL,
                    note TEXT NULL
                );
                CREATE INDEX ix_reviews_queue ON reviews (state, queued_at, case_id);
                INSERT INTO reviews (case_id, state, origin, queued_at)
                    SELECT id, 'pending', 'routed', created_at FROM cases WHERE status = 'pending_review';
                """),
        // The site's automation switch and the drift monitor's running statistics (one row per site, shared by the
        // replicas), and its own append-only trail: a pause or a resume concerns no single case, so it cannot be an
        // audit_events row (case_id is required there).
        new(4, "automation state",
            Sqlite: """
                CREATE TABLE automation_state (
                    site TEXT PRIMARY KEY,
                    reference_id TEXT NOT NULL,
                    paused INTEGER NOT NULL DEFAULT 0,
                    paused_at TEXT NULL,
                    pause_cause TEXT NULL,
                    pause_detail TEXT NULL,
                    films INTEGER NOT NULL DEFAULT 0,
                    statistics_json TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE TABLE automation_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    site TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    at TEXT NOT NULL,
                    detail_json TEXT NOT NULL
                );
                CREATE INDEX ix_automation_events_site ON automation_events (site, id);
                """,
            Postgres: """
                CREATE TABLE automation_state (
                    site TEXT PRIMARY KEY,
                    reference_id TEXT NOT NULL,
                    paused BOOLEAN NOT NULL DEFAULT FALSE,
                    paused_at TIMESTAMPTZ NULL,
                    pause_cause TEXT NULL,
                    pause_detail TEXT NULL,
                    films BIGINT NOT NULL DEFAULT 0,
                    statistics_json TEXT NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL
                );
                CREATE TABLE automation_events (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    site TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    at TIMESTAMPTZ NOT NULL,
                    detail_json TEXT NOT NULL
                );
                CREATE INDEX ix_automation_events_site ON automation_events (site, id);
                """),
        // A key name names one key for good (revoked ones included), so that the names in the trails and in claims
        // are unambiguous; the trails also record the key's id from now on. Keys that already shared a name keep
        // the oldest one's; the others are renamed NAME#ID (visible in `keys list`), the only way to add the index
        // without refusing to start.
        new(5, "unique key names, key ids in the trails", """
            UPDATE api_keys SET name = name || '#' || id
            WHERE EXISTS (SELECT 1 FROM api_keys older WHERE older.name = api_keys.name
                          AND (older.created_at < api_keys.created_at OR (older.created_at = api_keys.created_at AND older.id < api_keys.id)));
            CREATE UNIQUE INDEX ux_api_keys_name ON api_keys (name);
            ALTER TABLE audit_events ADD COLUMN actor_key_id TEXT NULL;
            ALTER TABLE automation_events ADD COLUMN actor_key_id TEXT NULL;
            """),
        // A case belongs to the key that submitted it: submitters read only their own cases. Earlier cases get the
        // key id their "created" audit event recorded (migration 5 onward); older ones stay without an owner, so
        // only reviewers (when queued) and admins read them: a name is not proof of which key sent a film.
        new(6, "case owner key", """
            ALTER TABLE cases ADD COLUMN submitted_key_id TEXT NULL;
            UPDATE cases SET submitted_key_id = (SELECT a.actor_key_id FROM audit_events a
                WHERE a.case_id = cases.id AND a.action = 'created' ORDER BY a.id LIMIT 1);
            CREATE INDEX ix_cases_submitted_key ON cases (submitted_key_id);
            """),
        // Results on their way to the hospital's PACS (DICOMweb STOW-RS): one row per case and object kind, written in
        // the transaction that creates the case (or decides its review), so a committed answer is never without its way
        // out. Rows are claimed with a lease (claim_token, claim_expires_at) so replicas never send one concurrently;
        // a sent row stays, with sent_at, as the record of what left.
        new(7, "pacs outbox",
            Sqlite: """
                CREATE TABLE pacs_outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    case_id TEXT NOT NULL REFERENCES cases (id),
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at TEXT NOT NULL,
                    claim_token TEXT NULL,
                    claim_expires_at TEXT NULL,
                    last_error TEXT NULL,
                    sent_at TEXT NULL
                );
                CREATE UNIQUE INDEX ux_pacs_outbox_case_kind ON pacs_outbox (case_id, kind);
                CREATE INDEX ix_pacs_outbox_due ON pacs_outbox (state, next_attempt_at, id);
                """,
            Postgres: """
                CREATE TABLE pacs_outbox (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES cases (id),
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at TIMESTAMPTZ NOT NULL,
                    claim_token TEXT NULL,
                    claim_expires_at TIMESTAMPTZ NULL,
                    last_error TEXT NULL,
                    sent_at TIMESTAMPTZ NULL
                );
                CREATE UNIQUE INDEX ux_pacs_outbox_case_kind ON pacs_outbox (case_id, kind);
                CREATE INDEX ix_pacs_outbox_due ON pacs_outbox (state, next_attempt_at, id);
                """),
        // The routing message is worded when the case is answered and kept with it: read back later it must not
        // follow whichever model and routing policy the server has loaded since. Older cases keep NULL (worded on read).
        new(8, "case routing message", "ALTER TABLE cases ADD COLUMN message TEXT"),
        // Site/team ownership (TeamScope): a key may belong to a team, and a case records its owner key's team when it
        // is submitted. The back-fill copies the owner key's team to the cases stored before; on an upgrade no key has
        // a team yet, so they start team-less (read by reviewers without a team and admins) until `keys set-team`
        // gives their key one, which back-fills them the same way (SqlApiKeyStore.SetTeamAsync).
        new(9, "key and case teams", """
            ALTER TABLE api_keys ADD COLUMN team TEXT NULL;
            ALTER TABLE cases ADD COLUMN submitted_team TEXT NULL;
            UPDATE cases SET submitted_team = (SELECT k.team FROM api_keys k WHERE k.id = cases.submitted_key_id)
                WHERE submitted_key_id IS NOT NULL;
            CREATE INDEX ix_cases_submitted_team ON cases (submitted_team);
            """),
    ];

    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """;

    /// <summary>Applies what is missing; returns the versions applied by this call.</summary>
    public static Task<IReadOnlyList<int>> ApplyAsync(CxrQaDatabase database, CancellationToken cancellationToken) =>
        ApplyAsync(database, int.MaxValue, cancellationToken);

    /// <summary>Applies what is missing up to and including <paramref name="upToVersion"/> (tests of a back-fill
    /// start from an older schema).</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(CxrQaDatabase database, int upToVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Dialect == SqlDialect.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@k)", new { k = AdvisoryLockKey }, cancellationToken: cancellationToken));
            try
            {
                return await ApplyLockedAsync(connection, database.Dialect, upToVersion, cancellationToken);
            }
            finally
            {
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey }, cancellationToken: CancellationToken.None));
            }
        }
        return await ApplyLockedAsync(connection, database.Dialect, upToVersion, cancellationToken);
    }

    private static async Task<IReadOnlyList<int>> ApplyLockedAsync(DbConnection connection, SqlDialect dialect, int upToVersion, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateTable, cancellationToken: ct));
        var applied = new List<int>();
        foreach (var migration in All.Where(m => m.Version <= upToVersion))
        {
            // SQLite: BEGIN IMMEDIATE takes the write lock before the check, so two processes cannot both apply.
            await using var tx = dialect == SqlDialect.Sqlite
                ? await BeginImmediateAsync(connection, ct)
                : await connection.BeginTransactionAsync(ct);
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", new { v = migration.Version }, tx, cancellationToken: ct));
            if (done > 0)
            {
                await tx.CommitAsync(ct);
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(migration.For(dialect), transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                new { v = migration.Version, n = migration.Name, t = DateTimeOffset.UtcNow.ToString("O") }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            applied.Add(migration.Version);
        }
        return applied;
    }

    private static async Task<DbTransaction> BeginImmediateAsync(DbConnection connection, CancellationToken ct)
    {
        var sqlite = (Microsoft.Data.Sqlite.SqliteConnection)connection;
        // deferred: false => BEGIN IMMEDIATE
        return await Task.FromResult<DbTransaction>(sqlite.BeginTransaction(deferred: false));
    }

    public static async Task<IReadOnlyList<int>> AppliedAsync(CxrQaDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations ORDER BY version", cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
