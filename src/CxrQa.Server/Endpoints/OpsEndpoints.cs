using CxrQa.Core.Pipeline;
using CxrQa.Server.Http;
using CxrQa.Server.Inference;
using CxrQa.Server.Metrics;
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
        return TypedResults.Ok(new
        {
            status = "ready",
            model = new { name = screening.Model.Name, version = screening.Model.Version },
            database = database.Dialect.ToString().ToLowerInvariant(),
        });
    }

    private static async Task<IResult> MetricsAsync(ServerMetrics metrics, IReviewStore reviews, InferenceQueue queue,
        ScreeningService screening, CancellationToken ct)
    {
        ReviewStats? stats;
        try
        {
            stats = await reviews.StatsAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stats = null;
        }
        var text = metrics.Render(stats, queue.Depth, screening.Model.Name, screening.Model.Version);
        return TypedResults.Text(text, "text/plain; version=0.0.4; charset=utf-8");
    }
}
