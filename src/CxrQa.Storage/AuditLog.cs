using Dapper;

namespace CxrQa.Storage;

/// <summary>Reads the append-only audit trail across cases, for the admin's view. Writes happen in the stores, in
/// the same transaction as the change they record.</summary>
public interface IAuditLog
{
    /// <summary>Events with id &gt; <paramref name="afterId"/>, oldest first, optionally of one case (keyset paging).</summary>
    Task<IReadOnlyList<AuditEvent>> ListAsync(string? caseId, long afterId, int limit, CancellationToken cancellationToken);
}

public sealed class SqlAuditLog(CxrQaDatabase database) : IAuditLog
{
    public async Task<IReadOnlyList<AuditEvent>> ListAsync(string? caseId, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var filter = caseId is null ? "" : " AND case_id = @caseId";
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {AuditRow.Columns} FROM audit_events WHERE id > @afterId{filter} ORDER BY id LIMIT @limit",
            new { caseId, afterId, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }
}

internal sealed class AuditRow
{
    public const string Columns = """
        id AS Id, case_id AS CaseId, actor AS Actor, actor_key_id AS ActorKeyId, action AS Action, at AS At, before_json AS BeforeJson, after_json AS AfterJson
        """;

    public long Id { get; set; }
    public string CaseId { get; set; } = "";
    public string Actor { get; set; } = "";
    public string? ActorKeyId { get; set; }
    public string Action { get; set; } = "";
    public object At { get; set; } = "";
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }

    public AuditEvent ToEvent() => new(Id, CaseId, Actor, ActorKeyId, Action, DbValues.Time(At), BeforeJson, AfterJson);
}
