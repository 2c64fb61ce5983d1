namespace CxrQa.Server.Pacs;

/// <summary>Wakes this replica's sender when it queued something itself, so a result does not wait for the next poll.
/// Other replicas' rows are found by polling.</summary>
public sealed class PacsOutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        // At most one pending wake-up: several notifications before the sender looks are one.
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>Waits for a notification or <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
