using System.Diagnostics;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Augmentation;
using CxrQa.Training.Backbone;
using CxrQa.Training.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CxrQa.Training.FineTuning;

/// <summary>How the training loop ended.</summary>
/// <param name="BestLogits">Validation logits of the best model when this invocation produced it (null after a resume
/// whose best epoch came earlier): saves a second validation pass.</param>
public sealed record TrainingOutcome(int StartEpoch, int EpochsRun, int BestEpoch, string StopReason, IReadOnlyList<EpochRecord> Epochs,
    float[]? BestLogits);

/// <summary>
/// The fine-tuning loop: AdamW (backbone and head groups), linear warm-up + cosine schedule per step, BCE with logits
/// (pos_weight or balanced sampling), early stopping on validation AUC (ties within 1e-4 broken by validation loss),
/// a checkpoint after every epoch (last.pt/.optim/.json) and the best model as best.pt, and a wall-clock budget.
/// </summary>
public sealed class FineTuneTrainer(CxrResNet model, FineTuneOptions options, IReadOnlyList<EnhancedFilm> train,
    IReadOnlyList<EnhancedFilm> validation, int size, string runKey, IProgress<FineTuneProgress>? progress)
{
    private const double AucTolerance = 1e-4;

    public string LogPath => Path.Combine(options.OutputDirectory, "training_log.csv");

    public TrainingOutcome Train(CancellationToken cancellationToken)
    {
        var checkpoints = options.CheckpointPath;
        Directory.CreateDirectory(checkpoints);
        var ignore = Path.Combine(checkpoints, ".gitignore");
        if (!File.Exists(ignore)) File.WriteAllText(ignore, "# checkpoints are large and reproducible: never commit them\n*\n");

        var prefixes = TrainableLayers.Parse(options.TrainLayers);
        var backboneParameters = new List<Parameter>();
        var headParameters = new List<Parameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var trainable = TrainableLayers.IsTrainable(name, prefixes);
            parameter.requires_grad = trainable;
            if (trainable) (name.StartsWith("head.", StringComparison.Ordinal) ? headParameters : backboneParameters).Add(parameter);
        }
        var optimizer = optim.AdamW(
        [
            new AdamW.ParamGroup(backboneParameters, lr: options.LearningRate, weight_decay: options.WeightDecay),
            new AdamW.ParamGroup(headParameters, lr: options.LearningRate * options.HeadLearningRateMultiplier, weight_decay: options.WeightDecay),
        ], lr: options.LearningRate, weight_decay: options.WeightDecay);

        var labels = train.Select(f => f.Label).ToArray();
        var positives = labels.Count(l => l == 1);
        var negatives = labels.Length - positives;
        var posWeight = options.Balancing == ClassBalancing.PosWeight && positives > 0 && negatives > 0 ? (double)negatives / positives : 1.0;
        using var posWeightTensor = tensor(new[] { (float)posWeight });
        var stepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var schedule = CosineSchedule.Create(options.LearningRate, stepsPerEpoch * options.Epochs, options.WarmupFraction, options.MinLearningRateFraction);
        var augmenter = new FilmAugmenter(options.Augmentation, new Core.Imaging.FilmPreprocessor(Core.Imaging.PreprocessingOptions.Default).EnhanceResized);
        var validationLabels = validation.Select(f => f.Label).ToArray();

        var state = new CheckpointState
        {
            Epoch = 0, GlobalStep = 0, BestEpoch = 0, BestValAuc = double.NegativeInfinity, BestValLoss = double.PositiveInfinity,
            EpochsWithoutImprovement = 0, Seed = options.Seed, RunKey = runKey,
        };
        if (options.Resume && CheckpointState.TryLoad(checkpoints) is { } saved)
        {
            if (saved.RunKey != runKey)
                throw new InvalidOperationException($"--resume: the checkpoint in '{checkpoints}' belongs to a different run " +
                    "(data, split, seed, layers, batch size, learning rate or balancing differ); start a new run or use another --checkpoint-dir");
            model.load(Path.Combine(checkpoints, CheckpointState.LastModel));
            optimizer.load_state_dict(Path.Combine(checkpoints, CheckpointState.LastOptimizer));
            state = saved;
            progress?.Report(new FineTuneProgress("resume", saved.Epoch, options.Epochs, Message: $"resuming after epoch {saved.Epoch} (best epoch {saved.BestEpoch}, val AUC {saved.BestValAuc:0.0000})"));
        }
        else if (!options.Resume && File.Exists(LogPath))
        {
            File.Delete(LogPath);
        }

        var startEpoch = state.Epoch + 1;
        var records = new List<EpochRecord>();
        var stopReason = state.StoppedEarly ? "early stopping (before resume)" : "epochs completed";
        float[]? bestLogits = null;
        var clock = Stopwatch.StartNew();
        var budget = options.MaxMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;
        for (var epoch = startEpoch; epoch <= options.Epochs && !state.StoppedEarly; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            SetTrainingModes(prefixes);
            var order = EpochPlan.Order(labels, options.Balancing, options.Seed, epoch);
            var reader = BatchProducer.Start(train, order, options.BatchSize, size, augmenter, options.Seed, epoch, cancellationToken);
            var stage = $"epoch {epoch}/{options.Epochs}";
            double lossSum = 0, lr = 0;
            int seen = 0, steps = 0;
            var partial = false;
            while (reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                if (!reader.TryRead(out var batch)) continue;
                lr = schedule.At(state.GlobalStep);
                optimizer.ParamGroups.ElementAt(0).LearningRate = lr;
                optimizer.ParamGroups.ElementAt(1).LearningRate = lr * options.HeadLearningRateMultiplier;
                using (var scope = NewDisposeScope())
                {
                    var x = tensor(batch.Inputs, [batch.Count, 3, size, size]);
                    var y = tensor(batch.Labels);
                    var (logit, _, _) = model.call(x);
                    var loss = nn.functional.binary_cross_entropy_with_logits(logit, y, null, nn.Reduction.Mean, posWeightTensor);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    var value = loss.item<float>();
                    if (!float.IsFinite(value))
                        throw new InvalidOperationException($"the training loss became {value} at epoch {epoch}, step {steps + 1}; lower --lr");
                    lossSum += value * batch.Count;
                }
                seen += batch.Count;
                steps++;
                state = state with { GlobalStep = state.GlobalStep + 1 };
                progress?.Report(new FineTuneProgress(stage, seen, order.Length, lossSum / seen, LearningRate: lr));
                if (budget is { } b && clock.Elapsed >= b && seen < order.Length)
                {
                    partial = true;
                    break;
                }
            }

            var trainSeconds = epochClock.Elapsed.TotalSeconds;
            var logits = ModelPredictor.Logits(model, validation, size, options.ValidationBatchSize,
                n => progress?.Report(new FineTuneProgress("validating", n, validation.Count)), cancellationToken);
            var valAuc = Auc.Compute(BinaryLoss.Probabilities(logits), validationLabels);
            var valLoss = BinaryLoss.Mean(logits, validationLabels);
            var record = new EpochRecord(epoch, seen == 0 ? double.NaN : lossSum / seen, valAuc, valLoss, lr, epochClock.Elapsed.TotalSeconds, steps, partial, trainSeconds);
            records.Add(record);
            EpochRecord.Append(LogPath, record);

            var improved = double.IsNaN(valAuc)
                ? valLoss < state.BestValLoss
                : valAuc > state.BestValAuc + AucTolerance || (valAuc >= state.BestValAuc - AucTolerance && valLoss < state.BestValLoss);
            if (state.BestEpoch == 0) improved = true;
            if (improved)
            {
                model.save(Path.Combine(checkpoints, CheckpointState.BestModel));
                bestLogits = logits;
                state = state with { BestEpoch = epoch, BestValAuc = valAuc, BestValLoss = valLoss, EpochsWithoutImprovement = 0 };
            }
            else
            {
                state = state with { EpochsWithoutImprovement = state.EpochsWithoutImprovement + 1 };
            }
            var stop = partial || state.EpochsWithoutImprovement >= options.Patience;
            if (partial) stopReason = $"time budget of {options.MaxMinutes} min reached during epoch {epoch}";
            else if (stop) stopReason = $"early stopping: no validation AUC gain for {options.Patience} epochs";
            state = state with { Epoch = epoch, StoppedEarly = stop };
            model.save(Path.Combine(checkpoints, CheckpointState.LastModel));
            optimizer.save_state_dict(Path.Combine(checkpoints, CheckpointState.LastOptimizer));
            state.Save(checkpoints);
            progress?.Report(new FineTuneProgress(stage, order.Length, order.Length, record.TrainLoss, valAuc, lr,
                $"epoch {epoch}: train loss {record.TrainLoss:0.0000}, val AUC {valAuc:0.0000}, val loss {valLoss:0.0000}, " +
                $"{steps} steps in {record.Seconds:0}s{(improved ? " (best)" : "")}{(partial ? " (partial: time budget)" : "")}"));
            if (budget is { } b2 && clock.Elapsed >= b2 && !stop && epoch < options.Epochs)
            {
                stopReason = $"time budget of {options.MaxMinutes} min reached after epoch {epoch}";
                break;
            }
        }
        model.eval();
        return new TrainingOutcome(startEpoch, state.Epoch, state.BestEpoch, stopReason, records, bestLogits);
    }

    /// <summary>Everything in train mode except BatchNorm: eval (ImageNet statistics kept) unless statistics updates
    /// were asked for and the layer trains.</summary>
    private void SetTrainingModes(IReadOnlyList<string> prefixes)
    {
        model.train();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not BatchNorm2d) continue;
            var updates = options.UpdateBatchNormStatistics && TrainableLayers.IsTrainable(name + ".weight", prefixes);
            if (!updates) module.eval();
        }
    }
}
