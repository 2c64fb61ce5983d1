namespace CxrQa.Core.Monitoring;

/// <summary>The drift monitor's running state: films seen since the last reset and each signal's CUSUM statistic.
/// Immutable; the storage layer persists it so that restarts and replicas continue the same sequence.</summary>
public sealed record DriftState(long Films, IReadOnlyDictionary<string, double> Statistics)
{
    public static DriftState Empty { get; } = new(0, new Dictionary<string, double>());

    public double Statistic(string signal) => Statistics.GetValueOrDefault(signal);

    /// <summary>The largest statistic and its signal (the one closest to alarming).</summary>
    public (string? Signal, double Value) Largest()
    {
        if (Statistics.Count == 0)
            return (null, 0);
        var largest = Statistics.MaxBy(s => s.Value);
        return (largest.Key, largest.Value);
    }
}

/// <summary>A signal whose CUSUM crossed the threshold.</summary>
public sealed record DriftAlarm(DriftSignal Signal, double Statistic, double Threshold, long Films);
