using CxrQa.Server.Metrics;
using CxrQa.Storage;

namespace CxrQa.Server.Pacs;

/// <summary>
/// Drains the PACS outbox: claims due rows with a lease (so replicas never send a row at the same time), makes each
/// row's objects, sends them with STOW-RS and marks the row sent, or schedules the next attempt with exponential
/// back-off. Rows live in the database, so a restart, a crash or a PACS that is down loses nothing; a row whose lease
/// ran out mid-send is sent again, which the PACS takes as the same instance (deterministic UIDs).
/// </summary>
public sealed partial class PacsOutboxSender(
    IPacsOutboxStore outbox,
    PacsResultObjects objects,
    StowClient stow,
    PacsOptions options,
    PacsOutboxSignal signal,
    ServerMetrics metrics,
    TimeProvider clock,
    ILogger<PacsOutboxSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(options.StudiesUri.GetLeftPart(UriPartial.Path));
        while (!stoppingToken.IsCancellationRequested)
        {
            int claimed;
            try
            {
                claimed = await DrainOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database did not answer: the rows are safe there; look again after the poll interval.
                LogDrainFailed(e.GetType().Name);
                claimed = 0;
            }
            if (claimed == 0)
            {
                try
                {
                    await signal.WaitAsync(options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims one batch and settles every row of it; returns how many rows were claimed.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        var batch = await outbox.ClaimAsync(options.BatchSize, clock.GetUtcNow(), options.ClaimLease, cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the rest of the batch goes back to the outbox now, not when its lease runs out.
                foreach (var unsent in batch.Skip(i))
                    await outbox.ScheduleRetryAsync(unsent, clock.GetUtcNow(), "interrupted by shutdown", CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
            }
            await SendAsync(batch[i], cancellationToken);
        }
        return batch.Count;
    }

    private async Task SendAsync(PacsOutboxItem item, CancellationToken cancellationToken)
    {
        StowResult result;
        try
        {
            var instances = await objects.BuildAsync(item, cancellationToken);
            result = instances.Count == 0 ? new StowResult(false, "no object was made", "build_failed")
                : await stow.StoreAsync(instances, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-send: hand the row back at once rather than leave it leased until the lease runs out
            // (a send that did reach the PACS is repeated, harmlessly: same UIDs).
            await outbox.ScheduleRetryAsync(item, clock.GetUtcNow(), "interrupted by shutdown", CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            // A case without its film, a film the builder cannot read: retried like any failure (a restored file or
            // a fixed build then sends it), and counted so that it shows.
            result = new StowResult(false, $"objects not made: {e.GetType().Name}", "build_failed");
        }

        if (result.Stored)
        {
            await outbox.MarkSentAsync(item, clock.GetUtcNow(), CancellationToken.None);
            metrics.CountPacsSent(item.Kind);
            LogSent(item.CaseId, item.Kind, item.Attempts);
            return;
        }
        var delay = RetrySchedule.Delay(item.Attempts, options.FirstRetryDelay, options.MaxRetryDelay);
        await outbox.ScheduleRetryAsync(item, clock.GetUtcNow() + delay, result.Error!, CancellationToken.None);
        metrics.CountPacsFailure(result.FailureCategory);
        LogFailed(item.CaseId, item.Kind, item.Attempts, result.Error!, delay.TotalSeconds);
    }

    // Case ids, kinds and transport errors only: never a UID or a header value of the film.
    [LoggerMessage(Level = LogLevel.Information, Message = "PACS outbox: sending results to {StudiesUrl}")]
    private partial void LogStarted(string studiesUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "PACS outbox: case {CaseId} {Kind} stored in the PACS (attempt {Attempt})")]
    private partial void LogSent(string caseId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PACS outbox: case {CaseId} {Kind} attempt {Attempt} failed: {Error}; next try in {DelaySeconds} s")]
    private partial void LogFailed(string caseId, string kind, int attempt, string error, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PACS outbox: could not read the outbox ({Error}); trying again")]
    private partial void LogDrainFailed(string error);
}
