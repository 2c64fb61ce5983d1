using System.Text.Json;
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
        var calibration = dataset.Images.Where(i => calibrationPaths.Contains(i.RelativePath)).ToList();
        var training = dataset.Images.Where(i => !calibrationPaths.Contains(i.RelativePath)).ToList();
        if (calibration.Count < calibrationPaths.Count)
            throw new CxrQaException(ErrorCodes.FileNotFound,
                $"{calibrationPaths.Count - calibration.Count} of the bundle's {calibrationPaths.Count} calibration films are not in '{dataDirectory}'");

        var preprocessor = new FilmPreprocessor(new PreprocessingOptions
        {
            InputSize = card.Preprocessing.InputSize, Clahe = card.Preprocessing.Clahe,
            ClaheClipLimit = card.Preprocessing.ClaheClipLimit, ClaheTiles = card.Preprocessing.ClaheTiles,
        });
        var scorer = new EnhancedFilmScorer(decoder, preprocessor, bundle);
        var trainEnhanced = await scorer.EnhanceAsync(training, p => progress?.Report(new CalibrationProgress("preparing training films", p, training.Count)), cancellationToken);
        var trainScores = scorer.Score(trainEnhanced.Films, p => progress?.Report(new CalibrationProgress("embedding training films", p, trainEnhanced.Films.Count)), cancellationToken);
        var calEnhanced = await scorer.EnhanceAsync(calibration, p => progress?.Report(new CalibrationProgress("preparing calibration films", p, calibration.Count)), cancellationToken);
        var calScores = scorer.Score(calEnhanced.Films, p => progress?.Report(new CalibrationProgress("scoring calibration films", p, calEnhanced.Films.Count)), cancellationToken);

        var size = preprocessor.Options.InputSize;
        var shifted = new List<(string, double[])>();
        foreach (var shift in shifts)
        {
            var films = calEnhanced.Films.Select((f, i) => shift.Apply(f, size, i)).ToList();
            shifted.Add((shift.Name, scorer.Score(films,
                p => progress?.Report(new CalibrationProgress($"scoring calibration films, shift '{shift.Name}'", p, films.Count)), cancellationToken).Logits));
        }

        var trust = TrustLayerFitter.Fit(new TrustLayerInputs(
            trainScores.Embeddings, trainEnhanced.Kept.Select(i => i.Label).ToArray(),
            calScores.Embeddings, calScores.Logits, calEnhanced.Kept.Select(i => i.Label).ToArray())
        {
            ShiftedCalibrationLogits = shifted,
        }, options);
        return TrustLayerFitter.WriteInto(bundle.Directory, card, trust, trainEnhanced.Films.Count);
    }

    private static HashSet<string> CalibrationPaths(ModelCard card)
    {
        if (card.Training?.Config is not { } config || !config.TryGetValue(CalibrationPathsKey, out var paths) || paths.ValueKind != JsonValueKind.Array)
            throw new CxrQaException(ErrorCodes.ModelInvalid,
                "the bundle's card does not record its calibration films (training.config.calibration_paths); retrain it with train or train-head");
        return paths.EnumerateArray().Select(p => p.GetString()!).ToHashSet(StringComparer.Ordinal);
    }
}
