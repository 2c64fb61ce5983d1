using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Admin.Automation;
using CxrQa.Server.Security;

namespace CxrQa.Server.Endpoints;

/// <summary>The automation switch (docs/operations.md). Admin keys only, also on loopback: a resume names its admin and
/// its reason in the automation trail.</summary>
public static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/automation")
            .RequireAuthorization(ApiPolicies.Admin)
            .WithMetadata(JsonBody.Limit)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/", (AutomationMonitor monitor, CancellationToken ct) => monitor.AdminViewAsync(ct))
            .WithName("AutomationState").WithSummary("Whether answers are automated at this site, the monitors' evidence and the trail")
            .Produces<AutomationAdminView>();
        group.MapPost("/resume", ResumeAsync)
            .WithName("ResumeAutomation").WithSummary("Resume automated answers after a pause (reason required; audited)")
            .Accepts<ResumeRequest>("application/json")
            .Produces<AutomationStatusView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<AutomationStatusView> ResumeAsync(HttpContext http, AutomationMonitor monitor, CancellationToken ct)
    {
        var request = await JsonBody.ReadAsync<ResumeRequest>(http.Request, ApiErrorCodes.InvalidReason,
            """{"reason": "why it is safe to resume"}""", ct);
        var result = await monitor.ResumeAsync(http.User.ApiKeyActor(), request?.Reason, ct);
        return result.Outcome switch
        {
            ResumeOutcome.Resumed => await monitor.StatusAsync(ct),
            ResumeOutcome.InvalidReason => throw new ApiException(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidReason, result.Message),
            ResumeOutcome.NotPaused => throw new ApiException(StatusCodes.Status409Conflict, ApiErrorCodes.NotPaused, result.Message),
            _ => throw new ApiException(StatusCodes.Status409Conflict, ApiErrorCodes.AuditBoundExceeded, result.Message),
        };
    }
}
