using CxrQa.Core.Evaluation;

namespace CxrQa.Core.Learning;

/// <summary>Cross-validated AUC of one C value.</summary>
/// <param name="FoldAucs">AUC on each held-out fold, by fold index.</param>
/// <param name="StdAuc">Sample standard deviation over folds.</param>
public sealed record CvScore(double C, double MeanAuc, double StdAuc, double[] FoldAucs);

/// <summary>What <see cref="HeadTrainer"/> chose and how well it did out of fold.</summary>
/// <param name="Model">The head refitted on all films at <see cref="ChosenC"/>.</param>
/// <param name="Scores">Per-C cross-validation scores, in grid order.</param>
/// <param name="OutOfFoldProbabilities">Each film's pneumonia probability from the fold model that did not see it, at the chosen C.</param>
/// <param name="OutOfFoldMetrics">Metrics of those probabilities (pooled over folds).</param>
/// <param name="FoldOfItem">The fold each film was held out in.</param>
/// <param name="FinalFit">Solver diagnostics of the refit.</param>
public sealed record HeadTrainingResult(
    LogisticModel Model,
    double ChosenC,
    IReadOnlyList<CvScore> Scores,
    double[] OutOfFoldProbabilities,
    BinaryMetrics OutOfFoldMetrics,
    int[] FoldOfItem,
    LogisticRegressionFit FinalFit)
{
    public CvScore ChosenScore => Scores.First(s => s.C == ChosenC);
}

/// <summary>Progress of a head training run: which stage, and how many of the fits are done.</summary>
public sealed record HeadTrainingProgress(string Stage, int FitsDone, int FitsTotal, double? C = null, int? Fold = null, double? FoldAuc = null);
