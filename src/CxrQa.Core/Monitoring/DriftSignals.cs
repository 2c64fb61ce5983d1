using System.Runtime.CompilerServices;

namespace CxrQa.Core.Monitoring;

/// <summary>Turns the reference columns into watched events: a 0/1 column (a predicted class) is watched for a rise
/// of its rate; any other column for a rise in the share of films above its reference tail quantile.</summary>
public static class DriftSignals
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // run 2000 times by the start-up threshold simulation
    public static IReadOnlyList<DriftSignal> Build(ReferenceTable reference, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        var n = reference.Rows;
        // No rate is estimated as exactly 0 or 1 from a finite reference: an unseen event would make one film an alarm.
        var floor = 1.0 / (n + 1);
        var signals = new List<DriftSignal>();
        foreach (var name in reference.Names)
        {
            var values = reference.Column(name).Where(double.IsFinite).ToArray();
            if (values.Length == 0)
                continue;
            if (values.All(v => v is 0 or 1))
            {
                var rate = Math.Clamp(values.Average(), floor, 1 - floor);
                signals.Add(new DriftSignal($"{name}_rate", name, 0.5, rate, Math.Min(rate + options.PredictedRateShift, 0.99),
                    $"share of films with {name} (reference {rate:P1})"));
                continue;
            }
            Array.Sort(values);
            foreach (var q in options.EffectiveTailQuantiles.Order())
            {
                var cutoff = values[Math.Clamp((int)Math.Ceiling(q * values.Length) - 1, 0, values.Length - 1)];
                var above = Math.Clamp(values.Count(v => v > cutoff) / (double)values.Length, floor, 1 - floor);
                // One quantile keeps the plain name; several are told apart by their percentile.
                var signalName = options.EffectiveTailQuantiles.Length == 1 ? $"{name}_high" : $"{name}_high_q{Math.Round(q * 100):0}";
                signals.Add(new DriftSignal(signalName, name, cutoff, above, Math.Min(above * options.TailRateRatio, 0.99),
                    $"share of films with {name} above the reference's {q:P0} quantile {cutoff:G4} (reference {above:P1})"));
            }
        }
        return signals;
    }
}
