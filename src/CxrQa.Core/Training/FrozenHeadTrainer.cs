using System.Text.Json;
using CxrQa.Core.Data;
using CxrQa.Core.Imaging;
using CxrQa.Core.Learning;
using CxrQa.Core.Model;
using CxrQa.Core.Trust;

namespace CxrQa.Core.Training;

/// <summary>What a frozen-head training run produced.</summary>
public sealed record FrozenHeadTrainingResult(
    ModelCard Card,
    LabelledDataset Dataset,
    DatasetEmbeddings Embeddings,
    int[] TrainRows,
    int[] CalibrationRows,
    HeadTrainingResult Head);

/// <summary>Progress of <see cref="FrozenHeadTrainer"/>: embedding films, then fitting heads.</summary>
public sealed record FrozenHeadProgress(string Stage, int Done, int Total);

/// <summary>
/// Trains the first real model: ImageNet ResNet18 features (frozen) + an L2 logistic head, strength chosen by
/// patient-grouped cross-validation, folded into the serving graph. A calibration split of patients is held out of
/// everything the head sees so that calibration and routing thresholds can later be fitted on unseen patients.
/// </summary>
public sealed class FrozenHeadTrainer(DatasetEmbedder embedder, PreprocessingCard preprocessing, BackboneFeatureExtractor backbone)
{
    public async Task<FrozenHeadTrainingResult> TrainAsync(string dataDirectory, FrozenHeadTrainingOptions options,
        IProgress<FrozenHeadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var dataset = await LabelledFolderDataset.Scan(dataDirectory, cancellationToken);
        var cache = options.CacheDirectory is { } dir
            ? EmbeddingCache.Open(EmbeddingCache.FileFor(dir, backbone.BackboneSha256, JsonSerializer.Serialize(preprocessing)))
            : null;
        var embeddings = await embedder.EmbedAsync(dataset.Images, DecodeLimits.Default, options.BatchSize, cache,
            new Progress<int>(n => progress?.Report(new FrozenHeadProgress("embedding films", n, dataset.Count))), cancellationToken);

        var labels = embeddings.Images.Select(i => i.Label).ToArray();
        var patients = embeddings.Images.Select(i => i.PatientId).ToArray();
        var part = StratifiedGroupPartitioner.Assign(labels, patients, [1 - options.CalibrationFraction, options.CalibrationFraction], options.Seed);
        var split = new TrainValidationCalibration(
            Enumerable.Range(0, part.Length).Where(i => part[i] == 0).ToArray(), [],
            Enumerable.Range(0, part.Length).Where(i => part[i] == 1).ToArray());
        var trainFeatures = embeddings.Features.SelectRows(split.Train);

        var head = HeadTrainer.Train(trainFeatures, split.Train.Select(i => labels[i]).ToArray(), split.Train.Select(i => patients[i]).ToArray(),
            new HeadTrainingOptions { Folds = options.Folds, Seed = options.Seed },
            new Progress<HeadTrainingProgress>(p => progress?.Report(new FrozenHeadProgress("fitting heads", p.FitsDone, p.FitsTotal))),
            cancellationToken);



        var card = BuildCard(options, dataset, embeddings, split, head);
        return new FrozenHeadTrainingResult(card, dataset, embeddings, split.Train, split.Calibration, head);
    }

    private ModelCard BuildCard(FrozenHeadTrainingOptions options, LabelledDataset dataset, DatasetEmbeddings embeddings,
        TrainValidationCalibration split, HeadTrainingResult head)
    {
        var headCard = head.Model.ToHeadCard();
        var chosen = head.ChosenScore;
        var oof = head.OutOfFoldMetrics;
        var trainImages = split.Train.Select(i => embeddings.Images[i]).ToList();
        return new ModelCard
        {
            Name = options.Name,
            Version = options.Version,
            Description = "Frozen ImageNet ResNet18 (CNTK export from Microsoft.ML.DnnImageFeaturizer.ResNet18) with a class-balanced " +
                          "L2 logistic-regression head on the 512-d pooled features, trained on the Kermany pediatric train split " +
                          "(Kermany et al., Cell 2018; CC BY 4.0). A baseline: expect lower accuracy on films unlike the training data.",
            Created = DateTimeOffset.UtcNow,
            GitCommit = options.GitCommit,
            Preprocessing = preprocessing,
            Graph = backbone.CreateLinearHeadGraphCard(headCard.Weights, headCard.Bias),
            Temperature = 1.0,
            DecisionPolicy = new DecisionPolicyCard
            {
                Mode = "fixed_confidence",
                Threshold = options.ConfidenceThreshold,
                Description = $"Answered automatically when the model's probability for its answer is at least {options.ConfidenceThreshold:0.00}; " +
                              "otherwise sent to a radiologist. This rule states no error rate.",
            },
            Training = new TrainingCard
            {
                Method = "frozen backbone + logistic regression (Newton, class-balanced, L2), C by patient-grouped CV",
                DataManifestSha256 = dataset.ManifestSha256,
                Images = trainImages.Count,
                Patients = trainImages.Select(i => i.PatientId).Distinct().Count(),
                ImagesPerClass = new Dictionary<string, int>
                {
                    ["Normal"] = trainImages.Count(i => i.Label == BinaryLabel.Normal),
                    ["Pneumonia"] = trainImages.Count(i => i.Label == BinaryLabel.Pneumonia),
                },
                Config = new Dictionary<string, JsonElement>
                {
                    ["c_grid"] = JsonSerializer.SerializeToElement(head.Scores.Select(s => s.C)),
                    ["chosen_c"] = JsonSerializer.SerializeToElement(head.ChosenC),
                    ["folds"] = JsonSerializer.SerializeToElement(options.Folds),
                    ["seed"] = JsonSerializer.SerializeToElement(options.Seed),
                    ["calibration_fraction"] = JsonSerializer.SerializeToElement(options.CalibrationFraction),
                    ["calibration_images"] = JsonSerializer.SerializeToElement(split.Calibration.Length),
                    [BundleCalibrator.CalibrationPathsKey] = JsonSerializer.SerializeToElement(
                        split.Calibration.Select(i => embeddings.Images[i].RelativePath).Order(StringComparer.Ordinal)),
                    ["duplicates_dropped"] = JsonSerializer.SerializeToElement(dataset.Deduplication.DuplicatesDropped),
                    ["unusable_images"] = JsonSerializer.SerializeToElement(embeddings.Skipped.Count),
                },
                Command = options.Command,
            },
            ValidationMetrics = new Dictionary<string, double>
            {
                ["cv_auc"] = chosen.MeanAuc,
                ["cv_auc_std"] = chosen.StdAuc,
                ["oof_auc"] = oof.Auc,
                ["oof_accuracy"] = oof.Accuracy,
                ["oof_sensitivity"] = oof.Sensitivity,
                ["oof_specificity"] = oof.Specificity,
                ["oof_brier"] = oof.Brier,
                ["oof_ece"] = oof.Ece,
            },
        };
    }
}
