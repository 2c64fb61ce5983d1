using CxrQa.Domain;
using Dapper;

namespace CxrQa.Storage;

/// <summary>One stored case of a model with its review, if any: what recertification reads.</summary>
public sealed record SiteCaseRow(string Id, string Status, string Prediction, double Confidence, double Logit, double? OodScore,
    IReadOnlyList<ReasonCode> Reasons, string? Origin, string? ReviewState, string? Label);

/// <summary>Reads every case a model answered at a site, with its review (read-only; recertification never writes
/// the server's database).</summary>
public sealed class SiteEvidence(CxrQaDatabase database)
{
    public async Task<IReadOnlyList<SiteCaseRow>> CasesAsync(string modelName, string modelVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SiteCaseRow>(new CommandDefinition("""
            SELECT c.id AS Id, c.status AS Status, c.prediction AS Prediction, c.confidence AS Confidence,
                   c.logit AS Logit, c.ood_score AS OodScore, c.reasons_json AS Reasons, r.origin AS Origin, r.state AS ReviewState, r.label AS Label
            FROM cases c LEFT JOIN reviews r ON r.case_id = c.id
            WHERE c.model_name = @modelName AND c.model_version = @modelVersion
            ORDER BY c.id
            """, new { modelName, modelVersion }, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
