namespace CxrQa.Server.Inference;

/// <summary>
/// Start-time fair queueing between clients (keys), charged by cost (a film's pixels): each client's items wait in
/// their own FIFO; an item is tagged on arrival with start = max(virtual time, the client's previous finish) and
/// finish = start + cost; the waiting item with the smallest start goes next (ties: arrival order), and the virtual
/// time becomes that start. A client that sends one request of sixteen 49 MP films therefore queues sixteen tags
/// spread over 784 M pixels of virtual time, and another client's 224 px film, tagged at the current virtual time,
/// goes before the second of them. The caller may hold a client back (it has as many films in work as it may):
/// the next item then comes from the other clients. Pure and single-threaded: the caller locks.
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
    /// The next item in fair order among the clients whose waiting head <paramref name="eligible"/> allows now (given the
    /// client and the item's cost); null when none is. A client whose head is not eligible keeps its place: its head
    /// still has the smallest start once it is. Heads for which <paramref name="isAbandoned"/> holds (their request was cancelled) are dropped on the way.
    /// </summary>
    public (string Client, T Item, long Cost)? TakeNext(Func<string, long, bool> eligible, Func<T, bool>? isAbandoned = null)
    {
        ArgumentNullException.ThrowIfNull(eligible);
        while (Peek(eligible) is { } next)
        {
            var (client, head) = next;
            Dequeue(client);
            if (isAbandoned?.Invoke(head.Item) == true)
                continue;
            _virtualTime = Math.Max(_virtualTime, head.Start);
            Forget();
            return (client, head.Item, head.Cost);
        }
        Forget();
        return null;
    }

    private (string Client, Tagged Head)? Peek(Func<string, long, bool>? eligible = null)
    {
        (string Client, Tagged Head)? best = null;
        foreach (var (name, state) in _clients)
        {
            if (!state.Waiting.TryPeek(out var head) || eligible?.Invoke(name, head.Cost) == false)
                continue;
            if (best is not { } b || head.Start < b.Head.Start || (head.Start == b.Head.Start && head.Sequence < b.Head.Sequence))
                best = (name, head);
        }
        return best;
    }

    /// <summary>Everything still waiting, in fair order (the queue is shutting down).</summary>
    public IReadOnlyList<T> TakeAll()
    {
        var all = new List<T>(Count);
        while (TakeNext(static (_, _) => true) is { } next)
            all.Add(next.Item);
        return all;
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
