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

        Assert.Equal(["ood_score_high", "predicted_normal_rate", "predicted_pneumonia_rate", "uncertainty_high"], signals.Select(s => s.Name).Order());
        Assert.True(calibration.SimulatedFalseAlarmRate <= options.FalseAlarmRate);
        output.WriteLine($"h = {calibration.Threshold:F3}, simulated false alarms {calibration.SimulatedFalseAlarmRate:P2} over {calibration.Horizon} films ({calibration.Runs} runs)");
        foreach (var s in signals)
            output.WriteLine($"{s.Name}: cutoff {s.Cutoff:G4}, rate {s.ReferenceRate:P1} -> {s.AlternativeRate:P1}");
    }
}
