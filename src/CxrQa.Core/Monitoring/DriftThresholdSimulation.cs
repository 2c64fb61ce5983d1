using System.Runtime.CompilerServices;

namespace CxrQa.Core.Monitoring;

/// <summary>What the threshold simulation found.</summary>
/// <param name="Threshold">The CUSUM alarm level h.</param>
/// <param name="SimulatedFalseAlarmRate">Share of simulated in-distribution streams that alarmed within the horizon at h.</param>
public sealed record DriftCalibration(double Threshold, double SimulatedFalseAlarmRate, int Runs, int Horizon, double TargetFalseAlarmRate);

/// <summary>
/// Sets the CUSUM threshold for a stated false-alarm rate over a stated horizon by simulating in-distribution
/// streams, with the bootstrap: the reference films stand for the population. Each run draws a pseudo-reference of
/// the same size with replacement, rebuilds the signals (cutoffs and rates) from it alone, and streams
/// <see cref="DriftOptions.Horizon"/> films drawn from the whole reference. So the simulation carries the error of
/// estimating cutoffs and rates from a finite reference, which over a long stream matters as much as the stream's own
/// noise, and the films keep their real joint values across signals (an unsure film is also often an unusual one).
/// The threshold is the ceil((R + 1)(1 - rate))-th smallest of the R runs' largest statistics (after the minimum
/// films), so at most the stated share of runs alarm; tests check the rate on fresh streams of a synthetic population.
/// </summary>
public static class DriftThresholdSimulation
{
    /// <summary>Names this simulation's method for caches of its result (<see cref="DriftCalibrationCache"/>): change it
    /// whenever a change here (or in <see cref="DriftSignals"/>) can change the threshold.</summary>
    public const string Version = "bootstrap-cusum-v1";

    public static DriftCalibration Calibrate(ReferenceTable reference, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (reference.Rows < 20)
            throw new ArgumentException("the reference needs at least 20 films to simulate streams from", nameof(reference));
        var random = new Random(options.SimulationSeed);
        // Every run streams films of the whole reference: their observations are read once, not once per run.
        var films = Enumerable.Range(0, reference.Rows).Select(reference.Row).ToArray();
        var maxima = new double[options.SimulationRuns];
        for (var run = 0; run < maxima.Length; run++)
            maxima[run] = RunMaximum(reference, films, options, random);
        Array.Sort(maxima);
        var rank = Math.Min(maxima.Length, (int)Math.Ceiling((maxima.Length + 1) * (1 - options.FalseAlarmRate)));
        // A strictly positive threshold: a stream whose every statistic stays 0 must not alarm.
        var threshold = Math.Max(maxima[rank - 1], 1e-9) * (1 + 1e-12);
        var alarms = maxima.Count(m => m >= threshold);
        return new DriftCalibration(threshold, alarms / (double)maxima.Length, maxima.Length, options.Horizon, options.FalseAlarmRate);
    }

    /// <summary>The largest statistic of any signal over one simulated in-distribution stream (after the minimum films).
    /// Optimized at its first call: it runs 2000 times at start-up, and tiered compilation's first tier (unoptimized
    /// code) made the whole simulation several times slower on the server's cold start (tools/startup-probe).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double RunMaximum(ReferenceTable reference, IReadOnlyList<Dictionary<string, double>> films, DriftOptions options, Random random)
    {
        var bootstrap = Enumerable.Range(0, reference.Rows).Select(_ => random.Next(reference.Rows)).ToArray();
        var signals = DriftSignals.Build(reference.Select(bootstrap), options);
        var pool = Enumerable.Range(0, reference.Rows).ToArray();
        // Each pool film's events once; the stream then draws films with replacement.
        var increments = new double[pool.Length, signals.Count];
        var present = new bool[pool.Length, signals.Count];
        for (var i = 0; i < pool.Length; i++)
        {
            var film = films[pool[i]];
            for (var j = 0; j < signals.Count; j++)
            {
                if (signals[j].Event(film) is not { } happened)
                    continue;
                present[i, j] = true;
                increments[i, j] = signals[j].LogLikelihoodRatio(happened);
            }
        }
        var statistics = new double[signals.Count];
        var maximum = 0.0;
        for (var t = 1; t <= options.Horizon; t++)
        {
            var i = random.Next(pool.Length);
            for (var j = 0; j < signals.Count; j++)
            {
                if (present[i, j])
                    statistics[j] = BernoulliCusum.Step(statistics[j], increments[i, j]);
                if (t >= options.MinimumFilms && statistics[j] > maximum)
                    maximum = statistics[j];
            }
        }
        return maximum;
    }
}
