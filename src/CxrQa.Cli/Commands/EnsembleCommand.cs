using System.CommandLine;
using CxrQa.Cli.Output;
using CxrQa.Core.Errors;
using CxrQa.Core.Model;
using CxrQa.Core.Trust;
using CxrQa.Training.Export;

namespace CxrQa.Cli.Commands;

/// <summary><c>ensemble</c>: merges member bundles (trained with one --split-seed) into one deep-ensemble bundle and
/// calibrates it on the members' shared calibration patients.</summary>
public static class EnsembleCommand
{
    public static Command Create()
    {
        var members = new Option<string[]>("--members") { Description = "Member bundle folders (from train, same --split-seed).", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Ensemble bundle folder to write (e.g. models/NAME).", Required = true };
        var data = new Option<string>("--data") { Description = "The training data folder (to calibrate the ensemble on its held-out patients).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name for the card (default: the folder name)." };
        var version = new Option<string>("--version") { Description = "Model version for the card.", DefaultValueFactory = _ => "1.0.0" };
        var fp32 = new Option<bool>("--fp32") { Description = "Keep fp32 weights (default: fp16 storage, fp32 compute)." };
        var command = new Command("ensemble", "Merge independently trained member bundles into one deep-ensemble bundle and calibrate it.")
        {
            members, output, data, name, version, fp32,
        };
        command.SetAction(async (parse, ct) =>
        {
            var err = StandardStreams.CreateErrorConsole();
            var outDir = parse.GetValue(output)!;
            try
            {
                var card = EnsembleBundle.Write(parse.GetValue(members)!, outDir,
                    parse.GetValue(name) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir))),
                    parse.GetValue(version)!, "cxrqa " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), GitInfo.TryGetCommit(),
                    parse.GetValue(fp32) ? null : Fp16Weights.Convert);
                StandardStreams.Info(err, $"wrote {outDir}: {card.Graph.Members!.Count} members; calibrating");
                await CalibrationRunner.RunAsync(err, outDir, parse.GetValue(data)!, new TrustLayerOptions(), true, ct);
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
