namespace CxrQa.Server.Inference;

/// <summary>
/// Which requests may wait for the inference worker: at most <c>total</c> over all clients and at most
/// <c>perClient</c> of one client, so that one key cannot fill the queue and turn every other key away with 503
/// queue_full (fair order inside the queue is <see cref="FairScheduler{T}"/>'s job). Pure and single-threaded: the
/// caller locks.
/// </summary>
public sealed class QueueAdmission(int total, int perClient)
{
    private readonly Dictionary<string, int> _waiting = new(StringComparer.Ordinal);

    public int Total { get; } = Math.Max(1, total);
    public int PerClient { get; } = Math.Clamp(perClient, 1, Math.Max(1, total));

    /// <summary>Requests admitted and not yet released.</summary>
    public int Count { get; private set; }

    /// <summary>Admits a request of <paramref name="client"/> when both bounds allow it.</summary>
    public bool TryAdmit(string client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var mine = _waiting.GetValueOrDefault(client);
        if (Count >= Total || mine >= PerClient)
            return false;
        _waiting[client] = mine + 1;
        Count++;
        return true;
    }

    /// <summary>A request of <paramref name="client"/> no longer waits (its last film was taken, or it was dropped).</summary>
    public void Release(string client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!_waiting.TryGetValue(client, out var mine) || mine == 0)
            throw new InvalidOperationException($"no waiting request of '{client}' to release");
        if (mine == 1)
            _waiting.Remove(client);
        else
            _waiting[client] = mine - 1;
        Count--;
    }
}
