using CxrQa.Core.Monitoring;

namespace CxrQa.Tests.Monitoring;

public sealed class DriftMonitorTests
{
    private static readonly DriftSignal Signal = new("x_high", "x", 0.5, 0.1, 0.3, "");

    private static Dictionary<string, double> Film(double x) => new() { ["x"] = x };

    [Fact]
    public void No_alarm_before_the_minimum_films_then_the_first_crossing_alarms()
    {
        var monitor = new DriftMonitor([Signal], threshold: 3 * Math.Log(3) - 1e-9, minimumFilms: 5);

        var alarmAt = monitor.FirstAlarm(Enumerable.Repeat(Film(1), 10));

        // Three events would cross at film 3, but nothing fires before film 5.
        Assert.Equal(5, alarmAt);
    }

    [Fact]
    public void The_state_carries_the_statistic_and_counts_films()
    {
        var monitor = new DriftMonitor([Signal], threshold: 100, minimumFilms: 0);
        var (state, alarm) = monitor.Observe(DriftState.Empty, Film(1));
        (state, alarm) = monitor.Observe(state, Film(0));

        Assert.Null(alarm);
        Assert.Equal(2, state.Films);
        Assert.Equal(Math.Log(3) + Math.Log(0.7 / 0.9), state.Statistic("x_high"), 12);
        Assert.Equal("x_high", state.Largest().Signal);
    }

    [Fact]
    public void The_alarm_names_the_signal_with_the_largest_statistic()
    {
        var other = new DriftSignal("y_high", "y", 0.5, 0.1, 0.5, "");
        var monitor = new DriftMonitor([Signal, other], threshold: 1, minimumFilms: 0);

        var (_, alarm) = monitor.Observe(DriftState.Empty, new Dictionary<string, double> { ["x"] = 1, ["y"] = 1 });

        Assert.NotNull(alarm);
        Assert.Equal("y_high", alarm.Signal.Name);
        Assert.Equal(Math.Log(5), alarm.Statistic, 12);
    }
}
