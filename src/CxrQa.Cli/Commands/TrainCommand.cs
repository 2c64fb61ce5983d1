using System.CommandLine;
using System.Globalization;
using CxrQa.Cli.Output;
using CxrQa.Core.Errors;
using CxrQa.Core.Augmentation;
using CxrQa.Training.FineTuning;
using Spectre.Console;

namespace CxrQa.Cli.Commands;

/// <summary>
/// <c>train</c>: fine-tunes the ResNet18 backbone (TorchSharp) and writes an "onnx" model bundle. TorchSharp is loaded
/// only inside <see cref="FineTuneRunner.RunAsync"/>, so the other commands never touch libtorch.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder holding NORMAL/ and PNEUMONIA/ training films.", Required = true };
        var output = new Option<string>("--out") { Description = "Bundle folder to write (e.g. models/NAME).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name for the card (default: the folder name)." };
        var version = new Option<string>("--version") { Description = "Model version for the card.", DefaultValueFactory = _ => "1.0.0" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (upper bound: early stopping and --max-minutes may end sooner).", DefaultValueFactory = _ => 12 };
        var batch = new Option<int>("--batch-size") { Description = "Films per step.", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate of the trainable backbone layers (AdamW).", DefaultValueFactory = _ => 1e-4 };
        var headLr = new Option<double>("--head-lr-multiplier") { Description = "The head's learning rate is this times --lr.", DefaultValueFactory = _ => 10 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW decoupled weight decay.", DefaultValueFactory = _ => 1e-2 };
        var warmup = new Option<double>("--warmup-fraction") { Description = "Linear warm-up over this fraction of all steps, then cosine decay.", DefaultValueFactory = _ => 0.05 };
        var layers = new Option<string>("--train-layers") { Description = "Trainable stages: layer4 | layer3,layer4 | all (the head always trains).", DefaultValueFactory = _ => "layer4" };
        var bnStats = new Option<bool>("--update-bn-stats") { Description = "Let BatchNorm layers of trainable stages update their running statistics (default: all frozen)." };
        var balance = new Option<string>("--balance") { Description = "Class imbalance: pos-weight (BCE pos_weight = n_neg/n_pos) | sampler (half of each class per epoch).", DefaultValueFactory = _ => "pos-weight" };
        balance.AcceptOnlyFromAmong("pos-weight", "sampler");
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without a validation AUC gain.", DefaultValueFactory = _ => 4 };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Training time budget; the run stops cleanly and keeps its best checkpoint." };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, epoch order, augmentation and torch.", DefaultValueFactory = _ => 42 };
        var limit = new Option<int?>("--limit") { Description = "Use only N films (both classes): smoke tests." };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Fraction of patients for validation (early stopping).", DefaultValueFactory = _ => 0.15 };
        var calibrationFraction = new Option<double>("--calibration-fraction") { Description = "Fraction of patients held out of training entirely, for calibration.", DefaultValueFactory = _ => 0.25 };
        var hflip = new Option<bool>("--hflip") { Description = "Also flip films horizontally at random (off by default: films are not mirrored)." };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train without augmentation." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint in the checkpoint folder at the next epoch." };
        var checkpoints = new Option<string?>("--checkpoint-dir") { Description = "Checkpoint folder (default: OUT/checkpoints, git-ignored)." };
        var noFp16 = new Option<bool>("--no-fp16") { Description = "Do not write the fp16-weight bundle (OUT-fp16)." };
        var splitSeed = new Option<int?>("--split-seed") { Description = "Seed of the patient split only (default: --seed). Ensemble members share it, so every member holds out the same calibration patients." };
        var framing = new Option<double>("--framing-probability") { Description = "Chance of a framing crop towards the thorax (area 0.45-1, before CLAHE); 0 turns it off.", DefaultValueFactory = _ => AugmentationOptions.Default.FramingProbability };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: the processor count)." };

        var command = new Command("train", "Fine-tune the ResNet18 backbone with augmentation and write an ONNX model bundle (and an fp16 twin).")
        {
            data, output, name, version, epochs, batch, lr, headLr, weightDecay, warmup, layers, bnStats, balance, patience, maxMinutes,
            seed, limit, validationFraction, calibrationFraction, hflip, noAugment, resume, checkpoints, noFp16, threads, splitSeed, framing,
        };
        command.SetAction((parse, ct) =>
        {
            var outDir = parse.GetValue(output)!;
            var augmentation = parse.GetValue(noAugment) ? AugmentationOptions.None : AugmentationOptions.Default;
            if (parse.GetValue(hflip)) augmentation = augmentation with { HorizontalFlip = true };
            if (!parse.GetValue(noAugment)) augmentation = augmentation with { FramingProbability = parse.GetValue(framing) };
            var options = new FineTuneOptions
            {
                DataDirectory = parse.GetValue(data)!,
                OutputDirectory = outDir,
                CheckpointDirectory = parse.GetValue(checkpoints),
                Name = parse.GetValue(name) ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir))),
                Version = parse.GetValue(version)!,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                HeadLearningRateMultiplier = parse.GetValue(headLr),
                WeightDecay = parse.GetValue(weightDecay),
                WarmupFraction = parse.GetValue(warmup),
                TrainLayers = parse.GetValue(layers)!,
                UpdateBatchNormStatistics = parse.GetValue(bnStats),
                Balancing = parse.GetValue(balance) == "sampler" ? ClassBalancing.Sampler : ClassBalancing.PosWeight,
                Patience = parse.GetValue(patience),
                MaxMinutes = parse.GetValue(maxMinutes),
                Seed = parse.GetValue(seed),
                Limit = parse.GetValue(limit),
                ValidationFraction = parse.GetValue(validationFraction),
                CalibrationFraction = parse.GetValue(calibrationFraction),
                Augmentation = augmentation,
                SplitSeed = parse.GetValue(splitSeed),
                Resume = parse.GetValue(resume),
                WriteFp16 = !parse.GetValue(noFp16),
                Threads = parse.GetValue(threads),
                GitCommit = GitInfo.TryGetCommit(),
                Command = "cxrqa " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            return RunAsync(options, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(FineTuneOptions options, CancellationToken ct)
    {
        var err = StandardStreams.CreateErrorConsole();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            StandardStreams.Error(err, e.Message);
            return ExitCodes.Usage;
        }
        try
        {
            FineTuneResult? result = null;
            await err.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    result = await FineTuneRunner.RunAsync(options, new SynchronousProgress<FineTuneProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                            tasks[p.Stage] = task = progress.AddTask(Markup.Escape(p.Stage), maxValue: Math.Max(1, p.Total));
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        var details = new List<string>();
                        if (p.Loss is { } loss) details.Add(string.Create(CultureInfo.InvariantCulture, $"loss {loss:0.0000}"));
                        if (p.ValAuc is { } auc) details.Add(string.Create(CultureInfo.InvariantCulture, $"val AUC {auc:0.0000}"));
                        if (p.LearningRate is { } rate) details.Add(string.Create(CultureInfo.InvariantCulture, $"lr {rate:0.0e0}"));
                        task.Description = Markup.Escape(details.Count == 0 ? p.Stage : $"{p.Stage}  {string.Join("  ", details)}");
                        if (p.Message is { } message) err.MarkupLine(Markup.Escape(message));
                    }), ct);
                    foreach (var t in tasks.Values) t.Value = t.MaxValue;
                });

            var r = result!;
            var m = r.Card.ValidationMetrics;
            StandardStreams.Info(err, string.Create(CultureInfo.InvariantCulture,
                $"epochs {r.StartEpoch}-{r.EpochsRun} run ({r.StopReason}); best epoch {r.BestEpoch}: val AUC {m["val_auc"]:0.0000}, " +
                $"accuracy {m["val_accuracy"]:P1}, sensitivity {m["val_sensitivity"]:P1}, specificity {m["val_specificity"]:P1} at 0.5 " +
                $"({m["val_n"]} validation films; {r.Card.Training!.Config!["calibration_images"]} calibration films held out)."));
            StandardStreams.Info(err, $"bundle written to {r.BundleDirectory}; log {r.LogPath}; checkpoints {r.CheckpointDirectory}");
            if (r.Fp16 is { } h)
                StandardStreams.Info(err, string.Create(CultureInfo.InvariantCulture,
                    $"fp16 bundle {h.BundleDirectory}: {h.Fp16Bytes / 1e6:0.0} MB (fp32 {h.Fp32Bytes / 1e6:0.0} MB), ONNX Runtime val AUC " +
                    $"{h.Fp16ValAuc:0.00000} vs fp32 {h.Fp32ValAuc:0.00000} (drop {h.AucDrop:0.00000}), max |logit diff| {h.MaxAbsLogitDifference:0.0000}"));
            return ExitCodes.Ok;
        }
        catch (CxrQaException e)
        {
            StandardStreams.Error(err, e.Message);
            return ExitCodes.Setup;
        }
        catch (InvalidOperationException e)
        {
            StandardStreams.Error(err, e.Message);
            return ExitCodes.Setup;
        }
    }
}
