using System.Text.Json;
using CxrQa.Core.Data;
using CxrQa.Core.Evaluation;
using CxrQa.Core.Model;

namespace CxrQa.Training.FineTuning;

/// <summary>Everything the card records about a run besides the options.</summary>
public sealed record FineTuneRunFacts(
    LabelledDataset Dataset,
    IReadOnlyList<LabelledImage> Used,
    IReadOnlyList<LabelledImage> Train,
    IReadOnlyList<LabelledImage> Validation,
    IReadOnlyList<LabelledImage> Calibration,
    int Unusable,
    double PosWeight,
    TrainingOutcome Outcome,
    float[] HeadWeights,
    float HeadBias,
    string BackboneSha256);

/// <summary>Builds the model card of a fine-tuned bundle (kind "onnx"; graph.head = the trained head for Grad-CAM).</summary>
public static class FineTuneCardBuilder
{
    public const string BackboneDescription = "ResNet18 (ImageNet, CNTK export from Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1), fine-tuned";

    public static ModelCard Build(FineTuneOptions options, FineTuneRunFacts facts, BinaryMetrics validation, double validationLoss)
    {
        var o = options;
        var train = facts.Train;
        JsonElement J<T>(T value) => JsonSerializer.SerializeToElement(value);
        var calibrationManifest = DatasetManifest.Text(facts.Calibration);
        return new ModelCard
        {
            Name = o.Name,
            Version = o.Version,
            Description = $"ImageNet ResNet18 fine-tuned end to end on the trainable stages ({o.TrainLayers}) with a linear pneumonia head, " +
                          "with acquisition-shift augmentation, on the Kermany pediatric train split (Kermany et al., Cell 2018; CC BY 4.0). " +
                          "Uncalibrated (temperature 1): the trust layer fits temperature and routing on the calibration split recorded here.",
            Created = DateTimeOffset.UtcNow,
            GitCommit = o.GitCommit,
            Preprocessing = new PreprocessingCard(),
            Graph = new GraphCard
            {
                Kind = GraphCard.Onnx,
                Backbone = BackboneDescription,
                BackboneSha256 = facts.BackboneSha256,
                Head = new LinearHeadCard { Weights = facts.HeadWeights, Bias = facts.HeadBias },
            },
            Temperature = 1.0,
            DecisionPolicy = new DecisionPolicyCard
            {
                Mode = "fixed_confidence",
                Threshold = 0.80,
                Description = "Placeholder until the trust layer calibrates this model: answered automatically when the model's " +
                              "probability for its answer is at least 0.80. This rule states no error rate.",
            },
            Training = new TrainingCard
            {
                Method = $"fine-tuning with TorchSharp: AdamW, linear warm-up + cosine schedule, BCE with logits " +
                         $"({(o.Balancing == ClassBalancing.PosWeight ? $"pos_weight {facts.PosWeight:0.###}" : "balanced sampling")}), " +
                         $"early stopping on patient-grouped validation AUC; trainable: {o.TrainLayers} + head",
                DataManifestSha256 = DatasetManifest.Sha256(DatasetManifest.Text(facts.Used)),
                Images = train.Count,
                Patients = train.Select(i => i.PatientId).Distinct().Count(),
                ImagesPerClass = new Dictionary<string, int>
                {
                    ["Normal"] = train.Count(i => i.Label == BinaryLabel.Normal),
                    ["Pneumonia"] = train.Count(i => i.Label == BinaryLabel.Pneumonia),
                },
                Config = new Dictionary<string, JsonElement>
                {
                    ["seed"] = J(o.Seed),
                    ["split_seed"] = J(o.EffectiveSplitSeed),
                    ["train_layers"] = J(o.TrainLayers),
                    ["batch_norm"] = J(o.UpdateBatchNormStatistics ? "statistics updated in trainable layers" : "all running statistics frozen (eval mode); affine weights train"),
                    ["optimizer"] = J("AdamW"),
                    ["lr"] = J(o.LearningRate),
                    ["head_lr_multiplier"] = J(o.HeadLearningRateMultiplier),
                    ["weight_decay"] = J(o.WeightDecay),
                    ["warmup_fraction"] = J(o.WarmupFraction),
                    ["min_lr_fraction"] = J(o.MinLearningRateFraction),
                    ["batch_size"] = J(o.BatchSize),
                    ["epochs_requested"] = J(o.Epochs),
                    ["epochs_run"] = J(facts.Outcome.EpochsRun),
                    ["best_epoch"] = J(facts.Outcome.BestEpoch),
                    ["stop_reason"] = J(facts.Outcome.StopReason),
                    ["patience"] = J(o.Patience),
                    ["max_minutes"] = J(o.MaxMinutes),
                    ["balancing"] = J(o.Balancing == ClassBalancing.PosWeight ? "pos_weight" : "sampler"),
                    ["pos_weight"] = J(facts.PosWeight),
                    ["augmentations"] = J(o.Augmentation.Describe()),
                    ["horizontal_flip"] = J(o.Augmentation.HorizontalFlip),
                    ["limit"] = J(o.Limit),
                    ["dataset_manifest_sha256"] = J(facts.Dataset.ManifestSha256),
                    ["duplicates_dropped"] = J(facts.Dataset.Deduplication.DuplicatesDropped),
                    ["unusable_images"] = J(facts.Unusable),
                    ["validation_fraction"] = J(o.ValidationFraction),
                    ["validation_images"] = J(facts.Validation.Count),
                    ["validation_manifest_sha256"] = J(DatasetManifest.Sha256(DatasetManifest.Text(facts.Validation))),
                    ["calibration_fraction"] = J(o.CalibrationFraction),
                    ["calibration_images"] = J(facts.Calibration.Count),
                    ["calibration_manifest_sha256"] = J(DatasetManifest.Sha256(calibrationManifest)),
                    ["calibration_paths"] = J(facts.Calibration.Select(i => i.RelativePath).Order(StringComparer.Ordinal).ToArray()),
                },
                Command = o.Command,
            },
            ValidationMetrics = Metrics(validation, validationLoss),
        };
    }

    public static Dictionary<string, double> Metrics(BinaryMetrics m, double loss) => new()
    {
        ["val_auc"] = m.Auc,
        ["val_accuracy"] = m.Accuracy,
        ["val_sensitivity"] = m.Sensitivity,
        ["val_specificity"] = m.Specificity,
        ["val_brier"] = m.Brier,
        ["val_ece"] = m.Ece,
        ["val_loss"] = loss,
        ["val_n"] = m.N,
    };
}
