namespace CxrQa.Core.Monitoring;

/// <summary>
/// The unlabelled drift monitor: one Bernoulli CUSUM per signal over the stream of answered films, all against one
/// threshold <see cref="Threshold"/> set by simulation for a stated false-alarm rate over a stated horizon
/// (<see cref="DriftThresholdSimulation"/>). Pure: the caller owns and stores the state.
/// </summary>
public sealed class DriftMonitor
{
    public DriftMonitor(IReadOnlyList<DriftSignal> signals, double threshold, int minimumFilms)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (!(threshold > 0))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "must be positive");
        Signals = signals;
        Threshold = threshold;
        MinimumFilms = minimumFilms;
    }

    public IReadOnlyList<DriftSignal> Signals { get; }
    public double Threshold { get; }
    public int MinimumFilms { get; }

    /// <summary>Adds one film. The alarm is the signal with the largest statistic at or above the threshold, once at
    /// least <see cref="MinimumFilms"/> films were seen.</summary>
    public (DriftState State, DriftAlarm? Alarm) Observe(DriftState state, IReadOnlyDictionary<string, double> observation)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(observation);
        var statistics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var signal in Signals)
        {
            var previous = state.Statistic(signal.Name);
            statistics[signal.Name] = signal.Event(observation) is { } happened ? BernoulliCusum.Step(previous, signal, happened) : previous;
        }
        var next = new DriftState(state.Films + 1, statistics);
        if (next.Films < MinimumFilms)
            return (next, null);
        var worst = Signals.Where(s => statistics[s.Name] >= Threshold).MaxBy(s => statistics[s.Name]);
        return (next, worst is null ? null : new DriftAlarm(worst, statistics[worst.Name], Threshold, next.Films));
    }

    /// <summary>The 1-based film at which a stream first alarms, or null (tests and the delay simulation).</summary>
    public long? FirstAlarm(IEnumerable<IReadOnlyDictionary<string, double>> stream)
    {
        var state = DriftState.Empty;
        foreach (var film in stream)
        {
            (state, var alarm) = Observe(state, film);
            if (alarm is not null)
                return state.Films;
        }
        return null;
    }
}
