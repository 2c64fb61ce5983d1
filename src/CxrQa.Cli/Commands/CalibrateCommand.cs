using System.CommandLine;
using CxrQa.Cli.Output;
using CxrQa.Core.Errors;
using CxrQa.Core.Trust;

namespace CxrQa.Cli.Commands;

/// <summary><c>calibrate</c>: (re)fits a bundle's trust layer on the calibration patients its card records.</summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Bundle folder to calibrate (model.json is rewritten).", Required = true };
        var data = new Option<string>("--data") { Description = "The training data folder the bundle was trained from (NORMAL/, PNEUMONIA/).", Required = true };
        var alphaNormal = new Option<double>("--alpha-normal") { Description = "Promised error rate of automated Normal answers.", DefaultValueFactory = _ => 0.01 };
        var alphaPneumonia = new Option<double>("--alpha-pneumonia") { Description = "Promised error rate of automated Pneumonia answers.", DefaultValueFactory = _ => 0.02 };
        var delta = new Option<double>("--delta") { Description = "Probability that the promise itself fails.", DefaultValueFactory = _ => 0.05 };
        var noShift = new Option<bool>("--no-shift") { Description = "Certify on clean calibration films only (more automation, less robust to new machines)." };
        var command = new Command("calibrate", "Fit temperature, certified routing thresholds and the OOD gate of a bundle on its held-out patients.")
        {
            model, data, alphaNormal, alphaPneumonia, delta, noShift,
        };
        command.SetAction(async (parse, ct) =>
        {
            var err = StandardStreams.CreateErrorConsole();
            try
            {
                await CalibrationRunner.RunAsync(err, parse.GetValue(model)!, parse.GetValue(data)!, new TrustLayerOptions
                {
                    Risk = CalibrationRunner.RiskOptions(parse.GetValue(alphaNormal), parse.GetValue(alphaPneumonia), parse.GetValue(delta)),
                }, !parse.GetValue(noShift), ct);
                return ExitCodes.Ok;
            }
            catch (CxrQaException e)
            {
                StandardStreams.Error(err, e.Message);
                return ExitCodes.Setup;
            }
        });
        return command;
    }
}
