namespace CxrQa.Server.Inference;

/// <summary>
/// Which films may be decoded and prepared at once, beside the network's run on earlier films: at most
/// <c>workers</c> films; at most <c>workers - 1</c> of one client, so a film of another client never waits for one
/// client's films to decode; films within the pixel budget only while their pixels (as headers declare them) fit it
/// together, and one film larger than the budget at a time (it cannot be split, and two would double the peak).
/// Pure and single-threaded: the caller locks.
/// </summary>
public sealed class PreparationBudget(int workers, long pixels)
{
    private readonly Dictionary<string, int> _preparing = new(StringComparer.Ordinal);
    private long _pixelsWithinBudget;
    private bool _largeFilm;

    public int Workers { get; } = Math.Max(1, workers);
    public long Pixels { get; } = Math.Max(1, pixels);
    public int PerClient => Math.Max(1, Workers - 1);

    /// <summary>Films being prepared now.</summary>
    public int Count { get; private set; }

    /// <summary>Whether a film of <paramref name="client"/> costing <paramref name="cost"/> pixels may start now.</summary>
    public bool CanStart(string client, long cost)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Count >= Workers || _preparing.GetValueOrDefault(client) >= PerClient)
            return false;
        return IsLarge(cost) ? !_largeFilm : _pixelsWithinBudget + cost <= Pixels;
    }

    /// <summary>Counts a film that <see cref="CanStart"/> allowed.</summary>
    public void Start(string client, long cost)
    {
        if (!CanStart(client, cost))
            throw new InvalidOperationException($"a film of '{client}' ({cost} pixels) does not fit the preparation budget now");
        _preparing[client] = _preparing.GetValueOrDefault(client) + 1;
        Count++;
        if (IsLarge(cost))
            _largeFilm = true;
        else
            _pixelsWithinBudget += cost;
    }

    /// <summary>A film counted by <see cref="Start"/> is prepared (or failed).</summary>
    public void Finish(string client, long cost)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!_preparing.TryGetValue(client, out var mine) || mine == 0)
            throw new InvalidOperationException($"no film of '{client}' is being prepared");
        if (mine == 1)
            _preparing.Remove(client);
        else
            _preparing[client] = mine - 1;
        Count--;
        if (IsLarge(cost))
            _largeFilm = false;
        else
            _pixelsWithinBudget -= cost;
    }

    private bool IsLarge(long cost) => cost > Pixels;
}
