namespace CxrQa.Core.Monitoring;

/// <summary>How the unlabelled drift monitor is built and how often it may cry wolf.</summary>
public sealed record DriftOptions
{
    /// <summary>Continuous signals watch the share of films above each of these quantiles of the reference (0.9: 10 %
    /// of reference films). Several quantiles catch both a thin tail that thickens and a body that moves. Null or
    /// empty: <see cref="DefaultTailQuantile"/> (no array default here: the configuration binder appends to one).</summary>
    public double[]? TailQuantiles { get; init; }

    public const double DefaultTailQuantile = 0.9;

    /// <summary>The quantiles in force.</summary>
    public double[] EffectiveTailQuantiles => TailQuantiles is { Length: > 0 } q ? q : [DefaultTailQuantile];

    /// <summary>The CUSUM of a tail event is tuned to a rise from the reference rate to this multiple of it (0.1 -> 0.3).</summary>
    public double TailRateRatio { get; init; } = 3.0;

    /// <summary>The predicted-class CUSUMs are tuned to a move of the predicted-Pneumonia rate by this much, either way.</summary>
    public double PredictedRateShift { get; init; } = 0.15;

    /// <summary>Probability that an in-distribution stream raises an alarm within <see cref="Horizon"/> films.</summary>
    public double FalseAlarmRate { get; init; } = 0.01;

    /// <summary>Films over which <see cref="FalseAlarmRate"/> is promised.</summary>
    public int Horizon { get; init; } = 1000;

    /// <summary>Simulated in-distribution streams used to set the threshold.</summary>
    public int SimulationRuns { get; init; } = 2000;

    /// <summary>Seed of the threshold simulation: the same bundle and options always give the same threshold.</summary>
    public int SimulationSeed { get; init; } = 20261202;

    /// <summary>Films observed before any alarm may fire (the CUSUM still accumulates): guards against a pause on the
    /// first handful of films of a new deployment.</summary>
    public int MinimumFilms { get; init; } = 20;

    public void Validate()
    {
        var quantiles = EffectiveTailQuantiles;
        if (quantiles.Any(q => !(q is >= 0.5 and < 1)) || quantiles.Distinct().Count() != quantiles.Length)
            throw new ArgumentOutOfRangeException(nameof(TailQuantiles), string.Join(", ", quantiles), "need distinct quantiles in [0.5, 1)");
        if (!(TailRateRatio > 1))
            throw new ArgumentOutOfRangeException(nameof(TailRateRatio), TailRateRatio, "must exceed 1");
        if (!(PredictedRateShift is > 0 and < 0.5))
            throw new ArgumentOutOfRangeException(nameof(PredictedRateShift), PredictedRateShift, "must lie in (0, 0.5)");
        if (!(FalseAlarmRate is > 0 and < 0.5))
            throw new ArgumentOutOfRangeException(nameof(FalseAlarmRate), FalseAlarmRate, "must lie in (0, 0.5)");
        if (Horizon < 1 || SimulationRuns < 100 || MinimumFilms < 0)
            throw new ArgumentOutOfRangeException(nameof(Horizon), "Horizon >= 1, SimulationRuns >= 100, MinimumFilms >= 0");
    }
}
