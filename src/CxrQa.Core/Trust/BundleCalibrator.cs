using System.Text.Json;
using CxrQa.Core.Augmentation;
using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;

namespace CxrQa.Core.Trust;

/// <summary>Progress of a calibration run.</summary>
public sealed record CalibrationProgress(string Stage, int Done, int Total);

/// <summary>
/// Fits a bundle's trust layer through the serving path: the bundle's own graph scores the calibration patients
/// recorded in its card (clean and under each simulated shift) and embeds the training films for the OOD gate.
/// Used by <c>calibrate</c> for any bundle and by <c>train-head</c> after it writes its bundle.
/// </summary>
public sealed class BundleCalibrator(FilmDecoder decoder, ModelBundle bundle)
{
    public const string CalibrationPathsKey = "calibration_paths";

    public async Task<ModelCard> CalibrateAsync(string dataDirectory, TrustLayerOptions options, IReadOnlyList<ShiftScenario> shifts,
        IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var card = bundle.Card;
        var calibrationPaths = CalibrationPaths(card);
        var dataset = await LabelledFolderDataset.Scan(dataDirectory, cancellationToken);
        var found = dataset.Images.Count(i => calibrationPaths.Contains(i.RelativePath));
        if (found < calibrationPaths.Count)
            throw new CxrQaException(ErrorCodes.FileNotFound,
                $"{calibrationPaths.Count - found} of the bundle's {calibrationPaths.Count} calibration films are not in '{dataDirectory}'");
        var split = TrustSplit.For(dataset.Images, calibrationPaths, card.Training!.Config!);

        var preprocessor = new FilmPreprocessor(new PreprocessingOptions
        {
            InputSize = card.Preprocessing.InputSize, Clahe = card.Preprocessing.Clahe,
            ClaheClipLimit = card.Preprocessing.ClaheClipLimit, ClaheTiles = card.Preprocessing.ClaheTiles,
        });
        var scorer = new EnhancedFilmScorer(decoder, preprocessor, bundle);
        async Task<(EnhancedFilms Films, FilmScores Scores)> ScoreAsync(IReadOnlyList<LabelledImage> images, string what, Func<int, FramingCrop>? framing = null)
        {
            var enhanced = await scorer.EnhanceAsync(images, p => progress?.Report(new CalibrationProgress($"preparing {what}", p, images.Count)),
                cancellationToken, framing);
            var scores = scorer.Score(enhanced.Films, p => progress?.Report(new CalibrationProgress($"scoring {what}", p, enhanced.Films.Count)), cancellationToken);
            return (enhanced, scores);
        }
        var train = await ScoreAsync(split.Training, "training films");
        FilmScores? trainViews = null;
        if (options.FeatureShiftFramedViews && options.FeatureShiftPercentile is not null && bundle.HasDepthFeatures)
        {
            var windows = FramedViewWindows(split.Training.Count);
            trainViews = (await ScoreAsync(split.Training, "framed views of the training films", i => windows[i])).Scores;
        }
        var gateFit = await ScoreAsync(split.GateFit, "gate-fit films");
        var cal = await ScoreAsync(split.Calibration, "calibration films");

        var size = preprocessor.Options.InputSize;
        var shifted = new List<(string, FilmScores)>();
        foreach (var shift in shifts)
        {
            var films = cal.Films.Films.Select((f, i) => shift.Apply(f, size, i)).ToList();
            shifted.Add((shift.Name, scorer.Score(films,
                p => progress?.Report(new CalibrationProgress($"scoring calibration films, shift '{shift.Name}'", p, films.Count)), cancellationToken)));
        }

        var kept = cal.Films.Kept;
        var trust = TrustLayerFitter.Fit(new TrustLayerInputs(
            train.Scores, train.Films.Kept.Select(i => i.Label).ToArray(),
            gateFit.Scores, split.GateFitDescription,
            cal.Scores, kept.Select(i => i.Label).ToArray(), kept.Select(i => i.PatientId).ToArray(), kept.Select(i => i.RelativePath).ToArray())
        {
            Shifted = shifted,
            TrainViews = trainViews,
        }, options);
        var written = TrustLayerFitter.WriteInto(bundle.Directory, card, trust, train.Films.Films.Count);
        return split.GateFitIsValidation ? written with { ValidationMetrics = ServedValidationMetrics(written, gateFit.Films.Kept, gateFit.Scores) } : written;
    }

    /// <summary>One framing crop per training film, drawn as training's augmentation draws them (its default area and
    /// aspect range) from a fixed seed, so calibrating twice gives the same references.</summary>
    private static FramingCrop[] FramedViewWindows(int count)
    {
        var augmentation = new AugmentationOptions();
        var random = new Random(FramedViewSeed);
        return Enumerable.Range(0, count).Select(_ => FramingCrop.Draw(random, augmentation.FramingAreaMin, augmentation.FramingAspectMax)).ToArray();
    }

    private const int FramedViewSeed = 7;

    /// <summary>The served graph's own metrics on the validation patients (calibrated probabilities, rule p &gt;= 0.5):
    /// what the card's <c>val_*</c> figures mean for a bundle whose graph is not one trained network (an ensemble).
    /// Existing figures from training are kept; <c>served_val_*</c> are always (re)written.</summary>
    private static Dictionary<string, double> ServedValidationMetrics(ModelCard card, IReadOnlyList<LabelledImage> films, FilmScores scores)
    {
        var probabilities = scores.Logits.Select(z => Calibration.TemperatureScaling.Probability(z, card.Temperature)).ToArray();
        var m = Evaluation.BinaryMetrics.Compute(probabilities, films.Select(f => f.Label).ToArray());
        var metrics = new Dictionary<string, double>(card.ValidationMetrics)
        {
            ["served_val_auc"] = m.Auc, ["served_val_accuracy"] = m.Accuracy,
            ["served_val_sensitivity"] = m.Sensitivity, ["served_val_specificity"] = m.Specificity, ["served_val_n"] = films.Count,
        };
        metrics.TryAdd("val_auc", m.Auc);
        return metrics;
    }

    /// <summary>The calibration films the card records (relative paths under the training data folder).</summary>
    public static HashSet<string> CalibrationPaths(ModelCard card)
    {
        if (card.Training?.Config is not { } config || !config.TryGetValue(CalibrationPathsKey, out var paths) || paths.ValueKind != JsonValueKind.Array)
            throw new CxrQaException(ErrorCodes.ModelInvalid,
                "the bundle's card does not record its calibration films (training.config.calibration_paths); retrain it with train or train-head");
        return paths.EnumerateArray().Select(p => p.GetString()!).ToHashSet(StringComparer.Ordinal);
    }
}
