using CxrQa.Server.Inference;
using CxrQa.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CxrQa.Server.Health;

/// <summary>The database answers a ping within 5 s (SQLite file or PostgreSQL).</summary>
public sealed class DatabaseHealthCheck(ICaseStore store) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await store.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the database is not reachable");
        }
    }
}

/// <summary>The model is loaded (the bundle loads at start-up or the server does not start) and the inference worker
/// that runs it is running.</summary>
public sealed class InferenceHealthCheck(InferenceQueue queue) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(queue.Running ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the inference worker is not running"));
}
