using Dapper;

namespace CxrQa.Storage;

/// <summary>The case store over Dapper; the SQL is portable between SQLite and PostgreSQL.</summary>
public sealed class SqlCaseStore(CxrQaDatabase database) : ICaseStore
{
    private const string Columns = """
        id AS Id, created_at AS CreatedAt, status AS Status, prediction AS Prediction,
        pneumonia_probability AS PneumoniaProbability, confidence AS Confidence, logit AS Logit, ood_score AS OodScore,
        reasons_json AS ReasonsJson, heatmap_grid_json AS HeatmapGridJson, model_name AS ModelName,
        model_version AS ModelVersion, input_sha256 AS InputSha256, film_file AS FilmFile, content_type AS ContentType,
        heatmap_file AS HeatmapFile, metadata_json AS MetadataJson, submitted_by AS SubmittedBy
        """;

    public async Task InsertAsync(CaseRecord record, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO cases (id, created_at, status, prediction, pneumonia_probability, confidence, logit, ood_score,
                reasons_json, heatmap_grid_json, model_name, model_version, input_sha256, film_file, content_type,
                heatmap_file, metadata_json, submitted_by)
            VALUES (@Id, @CreatedAt, @Status, @Prediction, @PneumoniaProbability, @Confidence, @Logit, @OodScore,
                @ReasonsJson, @HeatmapGridJson, @ModelName, @ModelVersion, @InputSha256, @FilmFile, @ContentType,
                @HeatmapFile, @MetadataJson, @SubmittedBy)
            """,
            new
            {
                record.Id, CreatedAt = DbValues.ToDb(record.CreatedAt), record.Status, record.Prediction,
                record.PneumoniaProbability, record.Confidence, record.Logit, record.OodScore, record.ReasonsJson,
                record.HeatmapGridJson, record.ModelName, record.ModelVersion, record.InputSha256, record.FilmFile,
                record.ContentType, record.HeatmapFile, record.MetadataJson, record.SubmittedBy,
            }, tx, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_events (case_id, actor, action, at, before_json, after_json)
            VALUES (@CaseId, @Actor, @Action, @At, NULL, @After)
            """,
            new
            {
                CaseId = record.Id, Actor = actor, Action = AuditActions.Created, At = DbValues.ToDb(record.CreatedAt),
                After = $$"""{"status":"{{record.Status}}"}""",
            }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<CaseRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            $"SELECT {Columns} FROM cases WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM cases WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<long> CountByStatusAsync(string status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM cases WHERE status = @status", new { status }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AuditEvent>> AuditTrailAsync(string caseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition("""
            SELECT id AS Id, case_id AS CaseId, actor AS Actor, action AS Action, at AS At,
                before_json AS BeforeJson, after_json AS AfterJson
            FROM audit_events WHERE case_id = @caseId ORDER BY id
            """, new { caseId }, cancellationToken: cancellationToken));
        return rows.Select(r => new AuditEvent(r.Id, r.CaseId, r.Actor, r.Action, DbValues.Time(r.At), r.BeforeJson, r.AfterJson)).ToList();
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
    }

    private sealed class CaseRow
    {
        public string Id { get; set; } = "";
        public object CreatedAt { get; set; } = "";
        public string Status { get; set; } = "";
        public string Prediction { get; set; } = "";
        public double PneumoniaProbability { get; set; }
        public double Confidence { get; set; }
        public double Logit { get; set; }
        public double? OodScore { get; set; }
        public string ReasonsJson { get; set; } = "";
        public string HeatmapGridJson { get; set; } = "";
        public string ModelName { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string InputSha256 { get; set; } = "";
        public string FilmFile { get; set; } = "";
        public string ContentType { get; set; } = "";
        public string HeatmapFile { get; set; } = "";
        public string MetadataJson { get; set; } = "";
        public string SubmittedBy { get; set; } = "";

        public CaseRecord ToRecord() => new()
        {
            Id = Id, CreatedAt = DbValues.Time(CreatedAt), Status = Status, Prediction = Prediction,
            PneumoniaProbability = PneumoniaProbability, Confidence = Confidence, Logit = Logit, OodScore = OodScore,
            ReasonsJson = ReasonsJson, HeatmapGridJson = HeatmapGridJson, ModelName = ModelName,
            ModelVersion = ModelVersion, InputSha256 = InputSha256, FilmFile = FilmFile, ContentType = ContentType,
            HeatmapFile = HeatmapFile, MetadataJson = MetadataJson, SubmittedBy = SubmittedBy,
        };
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public string CaseId { get; set; } = "";
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public object At { get; set; } = "";
        public string? BeforeJson { get; set; }
        public string? AfterJson { get; set; }
    }
}
