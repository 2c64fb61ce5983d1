using CxrQa.Domain;
using System.Text.Json;
using Dapper;

namespace CxrQa.Storage;

/// <summary>The case store over Dapper; the SQL is portable between SQLite and PostgreSQL. With
/// <paramref name="pacs"/> enabled, a DICOM case's results are queued for the PACS in the case's own transaction.</summary>
public sealed class SqlCaseStore(CxrQaDatabase database, PacsForwarding? pacs = null) : ICaseStore
{
    private readonly PacsForwarding _pacs = pacs ?? PacsForwarding.Off;

    public async Task<ReviewRecord?> InsertAsync(CaseRecord record, Actor actor, bool auditSample, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var origin = ReviewOrigins.For(record.Status, auditSample);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cases (id, created_at, status, prediction, pneumonia_probability, confidence, logit, ood_score,
                reasons_json, heatmap_grid_json, model_name, model_version, input_sha256, film_file, content_type,
                heatmap_file, metadata_json, submitted_by, submitted_key_id, submitted_team, message)
            VALUES (@Id, @CreatedAt, @Status, @Prediction, @PneumoniaProbability, @Confidence, @Logit, @OodScore,
                @Reasons, @HeatmapGridJson, @ModelName, @ModelVersion, @InputSha256, @FilmFile, @ContentType,
                @HeatmapFile, @MetadataJson, @SubmittedBy, @SubmittedKeyId, @SubmittedTeam, @Message)
            """,
            new
            {
                record.Id, CreatedAt = DbValues.ToDb(record.CreatedAt), Status = record.Status.Name(), Prediction = record.Prediction.Name(),
                record.PneumoniaProbability, record.Confidence, record.Logit, record.OodScore, record.Reasons,
                record.HeatmapGridJson, record.ModelName, record.ModelVersion, record.InputSha256, record.FilmFile,
                record.ContentType, record.HeatmapFile, record.MetadataJson, record.SubmittedBy, record.SubmittedKeyId, record.SubmittedTeam, record.Message,
            }, tx, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_events (case_id, actor, actor_key_id, action, at, before_json, after_json)
            VALUES (@CaseId, @Actor, @ActorKeyId, @Action, @At, NULL, @After)
            """,
            new
            {
                CaseId = record.Id, Actor = actor.Name, ActorKeyId = actor.KeyId, Action = AuditActions.Created, At = DbValues.ToDb(record.CreatedAt),
                After = origin is null ? $$"""{"status":"{{record.Status.Name()}}"}""" : $$"""{"status":"{{record.Status.Name()}}","review":"{{origin}}"}""",
            }, tx, cancellationToken: cancellationToken));
        ReviewRecord? review = null;
        if (origin is not null)
        {
            // Same transaction as the case: a routed case is never without its place in the queue.
            review = ReviewRecord.Queued(record.Id, origin, record.CreatedAt);
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO reviews (case_id, state, origin, queued_at) VALUES (@CaseId, @State, @Origin, @QueuedAt)
                """,
                new { review.CaseId, review.State, review.Origin, QueuedAt = DbValues.ToDb(review.QueuedAt) }, tx, cancellationToken: cancellationToken));
        }
        // Same transaction again: an answered DICOM film is never without its results' way back to the PACS.
        if (_pacs.Forwards(record.ContentType))
            await SqlPacsOutboxStore.EnqueueAsync(connection, tx, record.Id, PacsObjectKinds.OnCreated, record.CreatedAt, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return review;
    }

    public async Task<CaseRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            $"SELECT {CaseSql.Columns("cases")} FROM cases WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM cases WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<long> CountByStatusAsync(CaseStatus status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM cases WHERE status = @status", new { status = status.Name() }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AuditEvent>> AuditTrailAsync(string caseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {AuditRow.Columns} FROM audit_events WHERE case_id = @caseId ORDER BY id", new { caseId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task RecordFilmReadAsync(string caseId, Actor actor, string view, bool deidentified, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var after = JsonSerializer.Serialize(new Dictionary<string, object> { ["view"] = view, ["deidentified"] = deidentified });
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_events (case_id, actor, actor_key_id, action, at, before_json, after_json)
            VALUES (@CaseId, @Actor, @ActorKeyId, @Action, @At, NULL, @After)
            """,
            new { CaseId = caseId, Actor = actor.Name, ActorKeyId = actor.KeyId, Action = AuditActions.FilmRead, At = DbValues.ToDb(at), After = after },
            cancellationToken: cancellationToken));
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
    }
}
