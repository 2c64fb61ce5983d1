namespace CxrQa.Server.Inference;

/// <summary>
/// Start-time fair queueing between clients (keys), charged by cost (a film's pixels): each client's items wait in
/// their own FIFO; an item is tagged on arrival with start = max(virtual time, the client's previous finish) and
/// finish = start + cost; the waiting item with the smallest start goes next (ties: arrival order), and the virtual
/// time becomes that start. A client that sends one request of sixteen 49 MP films therefore queues sixteen tags
/// spread over 784 M pixels of virtual time, and another client's 224 px film, tagged at the current virtual time,
/// goes before the second of them. Pure and single-threaded: the caller locks.
/// </summary>
public sealed class FairScheduler<T>
{
    private readonly Dictionary<string, Client> _clients = new(StringComparer.Ordinal);
    private long _virtualTime;
    private long _sequence;

    /// <summary>Items waiting, over all clients.</summary>
    public int Count { get; private set; }

    /// <summary>Queues <paramref name="item"/> for <paramref name="client"/> at <paramref name="cost"/> (at least 1).</summary>
    public void Enqueue(string client, T item, long cost)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!_clients.TryGetValue(client, out var state))
            _clients[client] = state = new Client();
        var start = Math.Max(_virtualTime, state.LastFinish);
        state.LastFinish = start + Math.Max(1, cost);
        state.Waiting.Enqueue(new Tagged(item, Math.Max(1, cost), start, _sequence++));
        Count++;
    }

    /// <summary>
    /// The next items in fair order, as one batch: at most <paramref name="maxItems"/>, and no more than
    /// <paramref name="maxCost"/> in total, except that the first item is always taken (a film larger than the budget
    /// still runs, alone). The batch stops at the first item that does not fit, so a small item never overtakes a
    /// large one of a client whose turn it is. Items for which <paramref name="isAbandoned"/> holds (their request was
    /// cancelled) are dropped on the way and not counted.
    /// </summary>
    public IReadOnlyList<T> TakeBatch(int maxItems, long maxCost, Func<T, bool>? isAbandoned = null)
    {
        var batch = new List<T>();
        long cost = 0;
        while (batch.Count < Math.Max(1, maxItems) && Peek() is { } next)
        {
            var (client, head) = next;
            if (isAbandoned?.Invoke(head.Item) == true)
            {
                Dequeue(client);
                continue;
            }
            if (batch.Count > 0 && cost + head.Cost > maxCost)
                break;
            Dequeue(client);
            _virtualTime = Math.Max(_virtualTime, head.Start);
            cost += head.Cost;
            batch.Add(head.Item);
        }
        Forget();
        return batch;
    }

    private (string Client, Tagged Head)? Peek()
    {
        (string Client, Tagged Head)? best = null;
        foreach (var (name, state) in _clients)
        {
            if (!state.Waiting.TryPeek(out var head))
                continue;
            if (best is not { } b || head.Start < b.Head.Start || (head.Start == b.Head.Start && head.Sequence < b.Head.Sequence))
                best = (name, head);
        }
        return best;
    }

    private void Dequeue(string client)
    {
        _clients[client].Waiting.Dequeue();
        Count--;
    }

    /// <summary>A client with nothing waiting and no finish tag ahead of the virtual time has no claim left; dropping
    /// it keeps the table as small as the set of clients being served.</summary>
    private void Forget()
    {
        foreach (var (name, state) in _clients)
        {
            if (state.Waiting.Count == 0 && state.LastFinish <= _virtualTime)
                _clients.Remove(name);
        }
    }

    private sealed class Client
    {
        public Queue<Tagged> Waiting { get; } = new();
        public long LastFinish { get; set; }
    }

    private readonly record struct Tagged(T Item, long Cost, long Start, long Sequence);
}
