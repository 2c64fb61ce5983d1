using System.CommandLine;
using CxrQa.Cli.Output;
using CxrQa.Core.Errors;
using CxrQa.Core.Model.Quantization;
using CxrQa.Core.Trust;

namespace CxrQa.Cli.Commands;

/// <summary><c>quantize</c>: writes the static int8 (QDQ) version of a bundle and, unless told not to, calibrates its
/// trust layer on its own graph (the trust layer certifies the graph that serves).</summary>
public static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "fp32 bundle folder to quantize (graph.kind onnx).", Required = true };
        var data = new Option<string>("--data") { Description = "The training data folder the bundle was trained from (NORMAL/, PNEUMONIA/).", Required = true };
        var output = new Option<string>("--out") { Description = "int8 bundle folder to write (e.g. models/NAME-int8).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name for the card (default: the folder name)." };
        var method = new Option<string?>("--method")
        {
            Description = "Activation range method: minmax or percentile:P (e.g. percentile:99.99). Default: the candidate whose logits stay closest to fp32 on held-out training films.",
        };
        var films = new Option<int>("--films") { Description = "Training films to observe activation ranges on.", DefaultValueFactory = _ => new Int8QuantizeOptions().CalibrationFilms };
        var keepFp32 = new Option<Fp32Convolutions>("--keep-fp32") { Description = "Convolutions to keep in fp32: None, Stem, FirstStage, SecondStage, FinalConvolution, FinalBlock (comma-separated).", DefaultValueFactory = _ => new Int8QuantizeOptions().KeepFp32 };
        var biasCorrection = new Option<int>("--bias-correction")
        {
            Description = "Rounds of empirical bias correction (per output channel, the mean fp32 - int8 convolution output on the calibration films); 0: none.",
            DefaultValueFactory = _ => new Int8QuantizeOptions().BiasCorrectionRounds,
        };
        var skipCalibration = new Option<bool>("--no-calibrate") { Description = "Write the int8 graph only; run calibrate on it before serving it." };
        var command = new Command("quantize", "Write a static int8 (QDQ) version of a bundle, calibrated on training films, and fit its trust layer.")
        {
            model, data, output, name, method, films, keepFp32, biasCorrection, skipCalibration,
        };
        command.SetAction(async (parse, ct) =>
        {
            var err = StandardStreams.CreateErrorConsole();
            var outDir = parse.GetValue(output)!;
            try
            {
                var options = new Int8QuantizeOptions
                {
                    CalibrationFilms = parse.GetValue(films),
                    Method = parse.GetValue(method) is { } m ? ActivationRangeMethod.Parse(m) : null,
                    KeepFp32 = parse.GetValue(keepFp32),
                    BiasCorrectionRounds = parse.GetValue(biasCorrection),
                };
                var decoder = ScreeningServiceFactory.Decoder();
                var result = await StandardStreams.WithStagesAsync(err, report => Int8BundleQuantizer.QuantizeAsync(
                    parse.GetValue(model)!, parse.GetValue(data)!, outDir,
                    parse.GetValue(name) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir))),
                    "cxrqa " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), options, decoder,
                    new SynchronousProgress<(string Stage, int Done, int Total)>(p => report(p.Stage, p.Done, p.Total)), ct));
                foreach (var trial in result.Trials)
                    StandardStreams.Info(err, $"  {trial.Method,-18} mean |int8 - fp32 logit| {trial.MeanAbsLogitDifference:0.0000}, max {trial.MaxAbsLogitDifference:0.000}");
                var q = result.Card.Graph.Quantization!;
                if (q.BiasCorrection is { } corrected) StandardStreams.Info(err, "  " + corrected);
                StandardStreams.Info(err, $"wrote {outDir}: {q.Int8Convolutions} int8 convolutions, {q.QuantizedTensors} quantized activations, " +
                                          $"range method {q.RangeMethod}, {q.CalibrationFilms.Count} calibration films");
                if (parse.GetValue(skipCalibration))
                {
                    StandardStreams.Warning(err, $"not calibrated: run `cxrqa calibrate --model {outDir} --data {parse.GetValue(data)}` before serving it");
                    return ExitCodes.Ok;
                }
                StandardStreams.Info(err, "calibrating the int8 bundle's trust layer on its own graph");
                await CalibrationRunner.RunAsync(err, outDir, parse.GetValue(data)!, new TrustLayerOptions(), true, ct);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is CxrQaException or FormatException or ArgumentException)
            {
                StandardStreams.Error(err, e.Message);
                return ExitCodes.Setup;
            }
        });
        return command;
    }
}
