using System.Diagnostics;
using CxrQa.Server.Endpoints;
using CxrQa.Server.Health;
using CxrQa.Server.Metrics;
using Microsoft.AspNetCore.Diagnostics;
using Scalar.AspNetCore;

namespace CxrQa.Server.Hosting;

/// <summary>The middleware, in order, and every endpoint.</summary>
public static class ServerPipeline
{
    public static WebApplication UseServerPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Outermost, so that it sees the status the exception handler wrote; the exception handler clears the endpoint,
        // and keeps it in its feature.
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.ObserveRequest(route, context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapServerEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        app.MapPredict();
        app.MapDicomWeb();
        app.MapCases();
        app.MapReviews();
        app.MapAudit();
        app.MapHealth();
        app.MapOps();
        app.MapAdmin();
        app.MapReviewPage();
        return app;
    }
}
