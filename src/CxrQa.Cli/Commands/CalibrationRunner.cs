using CxrQa.Cli.Output;
using CxrQa.Core.Calibration;
using CxrQa.Core.Model;
using CxrQa.Core.Trust;
using Spectre.Console;

namespace CxrQa.Cli.Commands;

/// <summary>Fits a bundle's trust layer with a progress display; shared by calibrate, train-head and train.</summary>
public static class CalibrationRunner
{
    public static async Task<ModelCard> RunAsync(IAnsiConsole err, string bundleDirectory, string dataDirectory, TrustLayerOptions options,
        bool simulateShift, CancellationToken ct)
    {
        ModelCard card;
        using (var bundle = ModelBundle.Load(bundleDirectory))
        {
            var calibrator = new BundleCalibrator(ScreeningServiceFactory.Decoder(), bundle);
            card = await StandardStreams.WithStagesAsync(err, report => calibrator.CalibrateAsync(dataDirectory, options,
                simulateShift ? ShiftScenario.Defaults : [],
                new SynchronousProgress<CalibrationProgress>(p => report(p.Stage, p.Done, p.Total)), ct));
        }
        card = ModelBundleWriter.SaveCard(bundleDirectory, card);
        Describe(err, card);
        return card;
    }

    public static void Describe(IAnsiConsole err, ModelCard card)
    {
        var c = card.Calibration!;
        var risk = card.DecisionPolicy.RiskControl!;
        StandardStreams.Info(err, $"temperature {c.Temperature:0.000}: ECE {c.EceBefore:0.000} -> {c.EceAfter:0.000} on {c.Cases} calibration films " +
                                  $"(patients never trained on); OOD threshold {card.OutOfDistribution!.Threshold:0.0} (p{card.OutOfDistribution.Percentile}).");
        foreach (var s in risk.ShiftScenarios ?? [])
            StandardStreams.Info(err, $"  {s.Name,-16} alone: normal >= {Threshold(s.NormalThreshold)}, pneumonia >= {Threshold(s.PneumoniaThreshold)}, coverage {s.Coverage:P1}");
        StandardStreams.Info(err, $"certified: normal >= {Threshold(risk.Normal.Threshold)}, pneumonia >= {Threshold(risk.Pneumonia.Threshold)}; " +
                                  $"calibration coverage {risk.OverallCoverage:P1}");
        StandardStreams.Info(err, card.DecisionPolicy.Description ?? "");
    }

    private static string Threshold(double? t) => t is { } v ? v.ToString("0.000") : "never";

    public static RiskControlOptions RiskOptions(double alphaNormal, double alphaPneumonia, double delta) => new()
    {
        AlphaNormal = alphaNormal, AlphaPneumonia = alphaPneumonia, Delta = delta,
    };
}
