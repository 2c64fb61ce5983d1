using CxrQa.Core.Pipeline;
using CxrQa.Server.Cases;
using Microsoft.AspNetCore.Http.HttpResults;
using CxrQa.Server.Http;
using CxrQa.Server.Inference;
using CxrQa.Server.Metrics;
using CxrQa.Admin.Automation;
using CxrQa.Storage;

namespace CxrQa.Server.Endpoints;

public static class OpsEndpoints
{
    public static void MapOps(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithName("Live").WithSummary("The process answers");
        app.MapGet("/health/ready", ReadyAsync).WithName("Ready")
            .WithSummary("Model loaded, inference worker running, database reachable")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/health", HealthAsync).WithName("Health")
            .WithSummary("Details for operators: readiness and whether answers are automated at this site (paused, and why)")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/metrics", MetricsAsync).WithName("Metrics").WithSummary("Prometheus text format 0.0.4")
            .Produces<string>(contentType: "text/plain");
    }

    private static async Task<IResult> ReadyAsync(ScreeningService screening, InferenceQueue queue, ICaseStore store,
        CxrQaDatabase database, CancellationToken ct)
    {
        if (!queue.Running)
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.NotReady, "the inference worker is not running");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.PingAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.NotReady, "the database is not reachable");
        }
        return TypedResults.Ok(new ReadyView("ready", new ModelView(screening.Model.Name, screening.Model.Version),
            database.Dialect.ToString().ToLowerInvariant()));
    }

    private sealed record ReadyView(string Status, ModelView Model, string Database);

    private sealed record HealthView(string Status, ModelView Model, string Database, AutomationHealthView Automation);

    /// <param name="State">"automating" or "paused".</param>
    private sealed record AutomationHealthView(string Site, string State, string? Cause, string? Detail, DateTimeOffset? PausedAt,
        long FilmsObserved, string Reference);

    /// <summary>A pause does not make the server unready (it still answers, every film to review): /health/ready stays
    /// 200 and this page says what an operator needs to know.</summary>
    private static async Task<IResult> HealthAsync(ScreeningService screening, InferenceQueue queue, ICaseStore store,
        CxrQaDatabase database, AutomationMonitor monitor, CancellationToken ct)
    {
        var ready = await ReadyAsync(screening, queue, store, database, ct);
        if (ready is not Ok<ReadyView> ok)
            return ready;
        var automation = await monitor.StatusAsync(ct);
        return TypedResults.Ok(new HealthView(ok.Value!.Status, ok.Value.Model, ok.Value.Database, new AutomationHealthView(
            automation.Site, automation.Paused ? "paused" : "automating", automation.Cause, automation.Detail, automation.PausedAt,
            automation.FilmsObserved, automation.Reference)));
    }

    private static async Task<IResult> MetricsAsync(ServerMetrics metrics, IReviewStore reviews, InferenceQueue queue,
        ScreeningService screening, AutomationMonitor monitor, IPacsOutboxStore outbox, CancellationToken ct)
    {
        long? outboxDepth;
        try
        {
            outboxDepth = await outbox.PendingCountAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outboxDepth = null;
        }
        AutomationStatusView? automation;
        try
        {
            automation = await monitor.StatusAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            automation = null;
        }
        ReviewStats? stats;
        try
        {
            stats = await reviews.StatsAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stats = null;
        }
        var text = metrics.Render(stats, queue.Depth, screening.Model.Name, screening.Model.Version, automation, outboxDepth);
        return TypedResults.Text(text, "text/plain; version=0.0.4; charset=utf-8");
    }
}
