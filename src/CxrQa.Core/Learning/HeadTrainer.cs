using CxrQa.Core.Data;
using CxrQa.Core.Evaluation;

namespace CxrQa.Core.Learning;

/// <summary>
/// Trains the linear pneumonia head on frozen backbone embeddings: picks the L2 strength by patient-grouped k-fold
/// cross-validation (best mean out-of-fold AUC) and refits on every film. Grouping by patient matters: films of
/// one patient are near-duplicates, and letting them straddle folds would reward memorising patients.
/// </summary>
public static class HeadTrainer
{
    public static HeadTrainingResult Train(
        FeatureMatrix features, IReadOnlyList<int> labels, IReadOnlyList<string> patientIds, HeadTrainingOptions options,
        IProgress<HeadTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(patientIds);
        ArgumentNullException.ThrowIfNull(options);
        if (labels.Count != features.Rows || patientIds.Count != features.Rows)
            throw new ArgumentException($"{features.Rows} feature rows, {labels.Count} labels, {patientIds.Count} patient ids");
        if (options.CGrid.Count == 0 || options.CGrid.Any(c => !(c > 0) || double.IsInfinity(c)))
            throw new ArgumentException("the C grid must hold positive finite values", nameof(options));

        var folds = PatientFolds.Split(labels, patientIds, options.Folds, options.Seed);
        var foldOfItem = new int[features.Rows];
        foreach (var fold in folds)
            foreach (var i in fold.Test) foldOfItem[i] = fold.Index;

        // Ascending C lets each fit start from the previous, more strongly penalised solution: few Newton steps.
        var grid = options.CGrid.Distinct().Order().ToArray();
        var fitsTotal = grid.Length * folds.Count + 1;
        var fitsDone = 0;
        var foldAucs = grid.ToDictionary(c => c, _ => new double[folds.Count]);
        var oofByC = grid.ToDictionary(c => c, _ => new double[features.Rows]);

        foreach (var fold in folds)
        {
            var trainX = features.SelectRows(fold.Train);
            var trainY = fold.Train.Select(i => labels[i]).ToArray();
            var testX = features.SelectRows(fold.Test);
            var testY = fold.Test.Select(i => labels[i]).ToArray();
            LogisticModel? previous = null;
            foreach (var c in grid)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var fit = LogisticRegression.Fit(trainX, trainY, Regression(options, c), previous, cancellationToken);
                previous = fit.Model;
                var probabilities = fit.Model.Probabilities(testX);
                for (var k = 0; k < fold.Test.Length; k++) oofByC[c][fold.Test[k]] = probabilities[k];
                var auc = Auc.Compute(probabilities, testY);
                foldAucs[c][fold.Index] = auc;
                progress?.Report(new HeadTrainingProgress("cross-validation", ++fitsDone, fitsTotal, c, fold.Index, auc));
            }
        }

        var scores = options.CGrid.Distinct().Select(c => Score(c, foldAucs[c])).ToList();
        // Best mean AUC; among equals the stronger penalty (smaller C), the safer choice under distribution shift.
        var chosen = scores.OrderByDescending(s => s.MeanAuc).ThenBy(s => s.C).First();

        cancellationToken.ThrowIfCancellationRequested();
        var finalFit = LogisticRegression.Fit(features, labels, Regression(options, chosen.C), null, cancellationToken);
        progress?.Report(new HeadTrainingProgress("refit", ++fitsDone, fitsTotal, chosen.C));

        var oof = oofByC[chosen.C];
        return new HeadTrainingResult(finalFit.Model, chosen.C, scores, oof,
            BinaryMetrics.Compute(oof, labels.ToArray(), options.Threshold), foldOfItem, finalFit);
    }

    private static LogisticRegressionOptions Regression(HeadTrainingOptions options, double c) => new()
    {
        C = c,
        ClassWeighting = options.ClassWeighting,
        GradientTolerance = options.GradientTolerance,
    };

    private static CvScore Score(double c, double[] aucs)
    {
        var defined = aucs.Where(a => !double.IsNaN(a)).ToArray();
        var mean = defined.Length == 0 ? double.NaN : defined.Average();
        var std = defined.Length < 2 ? 0 : Math.Sqrt(defined.Sum(a => (a - mean) * (a - mean)) / (defined.Length - 1));
        return new CvScore(c, mean, std, aucs);
    }
}
