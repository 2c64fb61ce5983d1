using CxrQa.Server.Metrics;
using Prometheus;

namespace CxrQa.Server.Endpoints;

public static class OpsEndpoints
{
    /// <summary>/metrics: Prometheus text format 0.0.4, written by prometheus-net from the server's own registry.</summary>
    public static void MapOps(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        // Built here, once: it hooks the scrape-time reads into the registry.
        services.GetRequiredService<ScrapeMetrics>();
        app.MapMetrics("/metrics", services.GetRequiredService<ServerMetrics>().Registry)
            .WithName("Metrics").WithSummary("Prometheus text format 0.0.4");
    }
}
