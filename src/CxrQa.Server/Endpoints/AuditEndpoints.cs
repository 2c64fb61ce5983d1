using CxrQa.Server.Http;
using CxrQa.Server.Reviews;
using CxrQa.Server.Security;
using CxrQa.Storage;
using Microsoft.AspNetCore.Mvc;

namespace CxrQa.Server.Endpoints;

/// <summary>The audit trail, for admins only (it names every reviewer).</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit", ListAsync)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("Audit").WithSummary("Audit events after an id, oldest first, optionally of one case")
            .Produces<AuditListView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> ListAsync([FromQuery(Name = "case_id")] string? caseId, int? limit,
        [FromQuery(Name = "after_id")] long? afterId, IAuditLog audit, CancellationToken ct)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit || afterId < 0)
            return Problems.Create(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidQuery,
                $"limit must be 1..{MaxLimit} and after_id 0 or more");
        var events = await audit.ListAsync(string.IsNullOrEmpty(caseId) ? null : caseId, afterId ?? 0, take, ct);
        return TypedResults.Ok(new AuditListView(events.Select(AuditItemView.From).ToList()));
    }
}
