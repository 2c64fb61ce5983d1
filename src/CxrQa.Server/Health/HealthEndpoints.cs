using CxrQa.Admin.Automation;
using CxrQa.Core.Pipeline;
using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CxrQa.Server.Health;

/// <summary>
/// ASP.NET Core health checks on the paths operators and orchestrators already use: <c>/health/live</c> (the process
/// answers: no checks), <c>/health/ready</c> (checks tagged ready: inference worker, database; 503 problem+json
/// <c>not_ready</c> naming the failing check otherwise) and <c>/health</c> (readiness plus the site's automation state).
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddServerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<InferenceHealthCheck>("inference", tags: [Ready])
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready]);
        return services;
    }

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, _) => TypedResults.Ok(new { status = "live" }).ExecuteAsync(http),
        }).WithName("Live").WithSummary("The process answers");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Ready),
            ResponseWriter = (http, report) => ReadyResult(http.RequestServices, report).ExecuteAsync(http),
        }).WithName("Ready").WithSummary("Model loaded, inference worker running, database reachable");
        app.MapGet("/health", HealthAsync).WithName("Health")
            .WithSummary("Details for operators: readiness and whether answers are automated at this site (paused, and why)")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult ReadyResult(IServiceProvider services, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy)
        {
            var failing = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description ?? "a health check failed");
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.NotReady, string.Join("; ", failing));
        }
        var model = services.GetRequiredService<ScreeningService>().Model;
        var database = services.GetRequiredService<CxrQaDatabase>();
        return TypedResults.Ok(new ReadyView("ready", new ModelView(model.Name, model.Version), database.Dialect.ToString().ToLowerInvariant()));
    }

    /// <summary>A pause does not make the server unready (it still answers, every film to review): /health/ready stays
    /// 200 and this page says what an operator needs to know.</summary>
    private static async Task<IResult> HealthAsync(HealthCheckService checks, IServiceProvider services, AutomationMonitor monitor, CancellationToken ct)
    {
        var report = await checks.CheckHealthAsync(c => c.Tags.Contains(Ready), ct);
        var ready = ReadyResult(services, report);
        if (ready is not Microsoft.AspNetCore.Http.HttpResults.Ok<ReadyView> ok)
            return ready;
        var automation = await monitor.StatusAsync(ct);
        return TypedResults.Ok(new HealthView(ok.Value!.Status, ok.Value.Model, ok.Value.Database, new AutomationHealthView(
            automation.Site, automation.Paused ? "paused" : "automating", automation.Cause, automation.Detail, automation.PausedAt,
            automation.FilmsObserved, automation.Reference)));
    }

    private sealed record ReadyView(string Status, ModelView Model, string Database);

    private sealed record HealthView(string Status, ModelView Model, string Database, AutomationHealthView Automation);

    /// <param name="State">"automating" or "paused".</param>
    private sealed record AutomationHealthView(string Site, string State, string? Cause, string? Detail, DateTimeOffset? PausedAt,
        long FilmsObserved, string Reference);
}
