using System.CommandLine;
using CxrQa.Cli.Output;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Training;
using CxrQa.Core.Trust;
using Spectre.Console;

namespace CxrQa.Cli.Commands;

/// <summary><c>train-head</c>: the frozen-backbone baseline bundle (ImageNet ResNet18 features + logistic head).</summary>
public static class TrainHeadCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder holding NORMAL/ and PNEUMONIA/ training films.", Required = true };
        var output = new Option<string>("--out") { Description = "Bundle folder to write (e.g. models/NAME).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name for the card (default: the folder name)." };
        var version = new Option<string>("--version") { Description = "Model version for the card.", DefaultValueFactory = _ => "1.0.0" };
        var seed = new Option<int>("--seed") { Description = "Seed of the patient splits.", DefaultValueFactory = _ => 42 };
        var calibration = new Option<double>("--calibration-fraction")
        {
            Description = "Fraction of patients held out of training for calibration and routing thresholds.",
            DefaultValueFactory = _ => 0.30,
        };
        var cache = new Option<string?>("--cache-dir")
        {
            Description = "Cache of backbone embeddings between runs (default: ~/.cache/cxrqa; 'none' disables).",
            DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cxrqa"),
        };
        var command = new Command("train-head", "Train the frozen-backbone baseline: ResNet18 features + logistic head, C by patient-grouped CV.")
        {
            data, output, name, version, seed, calibration, cache,
        };
        command.SetAction((parse, ct) =>
        {
            var outDir = parse.GetValue(output)!;
            return RunAsync(parse.GetValue(data)!, outDir, new FrozenHeadTrainingOptions
            {
                Name = parse.GetValue(name) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir))),
                Version = parse.GetValue(version)!,
                Seed = parse.GetValue(seed),
                CalibrationFraction = parse.GetValue(calibration),
                CacheDirectory = parse.GetValue(cache) is { } c && c != "none" ? c : null,
                GitCommit = GitInfo.TryGetCommit(),
                Command = "cxrqa " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            }, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(string dataDir, string outDir, FrozenHeadTrainingOptions options, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        try
        {
            using var backbone = BackboneFeatureExtractor.Create();
            var preprocessingCard = new PreprocessingCard();
            var preprocessor = new FilmPreprocessor(PreprocessingOptions.Default);
            var embedder = new DatasetEmbedder(ScreeningServiceFactory.Decoder(), preprocessor, backbone);
            var trainer = new FrozenHeadTrainer(embedder, preprocessingCard, backbone);

            var result = await StandardStreams.WithStagesAsync(err, report => trainer.TrainAsync(dataDir, options,
                new SynchronousProgress<FrozenHeadProgress>(p => report(p.Stage, p.Done, p.Total)), ct));
            ModelBundleWriter.Save(outDir, result.Card);
            foreach (var s in result.Embeddings.Skipped)
                StandardStreams.Warning(err, $"skipped {s.RelativePath}: {s.Code}: {s.Message}");
            var card = await CalibrationRunner.RunAsync(err, outDir, dataDir, new TrustLayerOptions(), simulateShift: true, ct);
            var m = card.ValidationMetrics;
            StandardStreams.Info(err,
                $"{card.Training!.Images} films / {card.Training.Patients} patients trained on, {result.CalibrationRows.Length} held out for calibration. " +
                $"Chosen C {result.Head.ChosenC:G3}: patient-grouped CV AUC {m["cv_auc"]:0.0000} ± {m["cv_auc_std"]:0.0000}, " +
                $"out-of-fold accuracy {m["oof_accuracy"]:P1}, sensitivity {m["oof_sensitivity"]:P1}, specificity {m["oof_specificity"]:P1}.");
            StandardStreams.Info(err, $"bundle written to {Path.GetFullPath(outDir)}");
            return ExitCodes.Ok;
        }
        catch (CxrQaException e)
        {
            StandardStreams.Error(err, e.Message);
            return ExitCodes.Setup;
        }
    }
}

/// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate) report(value);
    }
}
