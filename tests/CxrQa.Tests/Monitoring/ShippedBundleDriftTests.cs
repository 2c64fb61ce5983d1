using CxrQa.Core.Monitoring;
using CxrQa.Tests.Pipeline;
using Xunit.Abstractions;

namespace CxrQa.Tests.Monitoring;

/// <summary>The monitor built from the shipped bundle's calibration reference, as the server builds it.</summary>
public sealed class ShippedBundleDriftTests(ShippedModelFixture shipped, ITestOutputHelper output) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void The_shipped_reference_gives_every_signal_and_a_threshold_at_the_stated_rate()
    {
        var reference = CalibrationReference.ForBundle(shipped.Model)!;
        var options = new DriftOptions();

        var signals = DriftSignals.Build(reference, options);
        var calibration = DriftThresholdSimulation.Calibrate(reference, options);

        Assert.Equal(["ensemble_spread_high", "feature_shift_high", "ood_score_high", "predicted_normal_rate", "predicted_pneumonia_rate", "uncertainty_high"],
            signals.Select(s => s.Name).Order());
        Assert.True(calibration.SimulatedFalseAlarmRate <= options.FalseAlarmRate);
        output.WriteLine($"h = {calibration.Threshold:F3}, simulated false alarms {calibration.SimulatedFalseAlarmRate:P2} over {calibration.Horizon} films ({calibration.Runs} runs)");
        foreach (var s in signals)
            output.WriteLine($"{s.Name}: cutoff {s.Cutoff:G4}, rate {s.ReferenceRate:P1} -> {s.AlternativeRate:P1}");
    }

    /// <summary>The detection delay of the shipped monitor when a share of the stream's films turn unsure (their
    /// uncertainty drawn log-uniformly from [0.01, 0.5], i.e. confidence 0.5 to 0.99), the rest drawn from the reference.
    /// The numbers are the ones docs/operations.md quotes.</summary>
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(0.25, 600)]
    [InlineData(0.35, 250)]
    [InlineData(0.50, 120)]
    public void A_shift_of_the_confidence_distribution_is_detected_within_stated_films(double share, int medianWithin)
    {
        var reference = CalibrationReference.ForBundle(shipped.Model)!;
        var options = new DriftOptions();
        var calibration = DriftThresholdSimulation.Calibrate(reference, options);
        var monitor = new DriftMonitor(DriftSignals.Build(reference, options), calibration.Threshold, options.MinimumFilms);
        var random = new Random(7);

        var delays = Enumerable.Range(0, 200).Select(_ => monitor.FirstAlarm(Enumerable.Range(0, 1000).Select(_ =>
        {
            var film = reference.Row(random.Next(reference.Rows));
            if (random.NextDouble() < share)
                film[FilmObservation.Uncertainty] = Math.Exp(Math.Log(0.01) + random.NextDouble() * (Math.Log(0.5) - Math.Log(0.01)));
            return (IReadOnlyDictionary<string, double>)film;
        })) ?? long.MaxValue).Order().ToArray();

        var (median, p90) = (delays[delays.Length / 2], delays[delays.Length * 9 / 10]);
        output.WriteLine($"{share:P0} of films unsure: median delay {median} films, 90th percentile {p90}");
        Assert.True(median <= medianWithin, $"median {median}");
    }
}
