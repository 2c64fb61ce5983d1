using CxrQa.Core.Monitoring;
using Xunit.Abstractions;

namespace CxrQa.Tests.Monitoring;

/// <summary>
/// The stated false-alarm rate checked where it can be checked exactly: a synthetic population, so fresh
/// in-distribution streams are truly new films, not the reference's own. Also the detection delay under a shift.
/// </summary>
public sealed class DriftThresholdSimulationTests(ITestOutputHelper output)
{
    private static readonly DriftOptions Options = new() { Horizon = 1000, FalseAlarmRate = 0.01 };

    private static DriftMonitor Monitor(ReferenceTable reference, out DriftCalibration calibration)
    {
        calibration = DriftThresholdSimulation.Calibrate(reference, Options);
        return new DriftMonitor(DriftSignals.Build(reference, Options), calibration.Threshold, Options.MinimumFilms);
    }

    [Fact]
    public void The_threshold_is_reproducible_and_the_simulated_rate_is_at_most_the_target()
    {
        var reference = SyntheticReference.Table(1300, seed: 1);

        var a = DriftThresholdSimulation.Calibrate(reference, Options);
        var b = DriftThresholdSimulation.Calibrate(reference, Options);

        Assert.Equal(a.Threshold, b.Threshold);
        Assert.True(a.SimulatedFalseAlarmRate <= Options.FalseAlarmRate, $"{a.SimulatedFalseAlarmRate}");
        Assert.InRange(a.Threshold, 2, 20);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Fresh_in_distribution_streams_alarm_at_about_the_stated_rate_or_less()
    {
        var reference = SyntheticReference.Table(1300, seed: 2);
        var monitor = Monitor(reference, out var calibration);
        var random = new Random(3);
        const int streams = 300;
        var alarms = 0;
        for (var s = 0; s < streams; s++)
        {
            if (monitor.FirstAlarm(Enumerable.Range(0, Options.Horizon).Select(_ => SyntheticReference.Film(random))) is not null)
                alarms++;
        }
        var rate = alarms / (double)streams;
        output.WriteLine($"h = {calibration.Threshold:F2}; fresh in-distribution streams alarming within {Options.Horizon} films: {alarms}/{streams} = {rate:P1} (target {Options.FalseAlarmRate:P0})");
        // 1 % target; 300 streams: binomial noise allows a few; 3 % would mean the simulation is badly off.
        Assert.True(rate <= 0.03, $"{rate:P1}");
    }

    [Theory]
    [InlineData(0.5, 40)]
    [InlineData(0.3, 80)]
    public void A_shift_in_part_of_the_stream_is_detected_within_a_stated_number_of_films(double shiftedShare, int medianWithin)
    {
        var reference = SyntheticReference.Table(1300, seed: 4);
        var monitor = Monitor(reference, out var calibration);
        var random = new Random(5);
        var delays = Enumerable.Range(0, 200)
            .Select(_ => monitor.FirstAlarm(Enumerable.Range(0, 1000).Select(_ => SyntheticReference.Film(random, shiftedShare))) ?? long.MaxValue)
            .Order().ToArray();
        var median = delays[delays.Length / 2];
        var p90 = delays[delays.Length * 9 / 10];
        output.WriteLine($"h = {calibration.Threshold:F2}; {shiftedShare:P0} of films shifted: median delay {median}, 90th percentile {p90} films");
        Assert.True(median <= medianWithin, $"median delay {median}");
    }
}
