using CxrQa.Core.Evaluation;
using CxrQa.Core.Explain;
using static CxrQa.Cli.Reports.ReportFormat;

namespace CxrQa.Cli.Reports;

/// <summary>Turns the numbers of an evaluation into the report's sections (pure: no I/O).</summary>
public static class EvaluationReportDocument
{
    public static ReportDocument Build(ReportContext context, EvaluationSummary summary, DeletionTestResult? deletion,
        IReadOnlyList<TrainingEpoch>? training)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(summary);
        var sections = new List<ReportSection>
        {
            Overview(context, summary),
            Discrimination(summary),
            Confusion(summary),
            Calibration(summary),
            Routing(context, summary),
            Selective(summary),
        };
        if (deletion is { Films: > 0 }) sections.Add(Faithfulness(deletion));
        if (training is { Count: > 0 }) sections.Add(Training(training));
        return new ReportDocument($"CxrQa evaluation: {context.ModelName} {context.ModelVersion}", sections);
    }

    private static ReportSection Overview(ReportContext c, EvaluationSummary s)
    {
        var cm = s.Metrics.ConfusionMatrix;
        return new ReportSection("Data and model",
        [
            new ReportTable(["", ""],
            [
                ["model", $"`{c.ModelName}` {c.ModelVersion}"],
                ["decision policy", c.PolicyMode],
                ["data", $"`{c.DataFolder}`"],
                ["manifest sha256", $"`{c.ManifestSha256}`"],
                ["films", $"{Int(s.Metrics.N)} ({Int(cm.TrueNegatives + cm.FalsePositives)} normal, {Int(cm.TruePositives + cm.FalseNegatives)} pneumonia)"],
                ["duplicates dropped", Int(c.DuplicatesDropped)],
                ["films that failed to screen", Int(c.Failed)],
            ]),
            .. c.PolicyDescription is { } d ? new ReportBlock[] { new ReportParagraph("Policy, as the model card states it: " + d) } : [],
        ]);
    }

    private static ReportSection Discrimination(EvaluationSummary s)
    {
        var rows = s.Intervals.Select(i => (IReadOnlyList<string>)
            [i.Name, i.Name == "auc" ? Num(i.Interval.Estimate) : Pct(i.Interval.Estimate), Interval(i.Interval, i.Name == "auc" ? v => Num(v) : v => Pct(v))]).ToList();
        var resamples = s.Intervals.Count == 0 ? 0 : s.Intervals.Max(i => i.Interval.Resamples);
        return new ReportSection("Discrimination and per-class metrics",
        [
            new ReportParagraph($"Pneumonia is the positive class; a film is called pneumonia when its calibrated probability is at least {Num(s.Metrics.Threshold, "0.##")}. " +
                                $"Sensitivity and precision describe pneumonia answers, specificity and NPV normal answers. Intervals: 95 % percentile bootstrap over films " +
                                $"({Int(resamples)} seeded resamples, the same resamples for every metric)."),
            new ReportTable(["metric", "estimate", "95 % interval"], rows),
            new ReportParagraph($"**AUC** {Num(s.Metrics.Auc)}; **average precision** {Num(s.PrecisionRecall.AveragePrecision)} (prevalence {Pct(s.PrecisionRecall.Prevalence)})."),
            new ReportImage(ReportFigures.Roc, "ROC curve"),
            new ReportImage(ReportFigures.PrecisionRecall, "Precision-recall curve"),
        ]);
    }

    private static ReportSection Confusion(EvaluationSummary s)
    {
        var cm = s.Metrics.ConfusionMatrix;
        return new ReportSection("Confusion matrix",
        [
            new ReportTable(["truth \\ predicted", "Normal", "Pneumonia"],
            [
                ["Normal", Int(cm.TrueNegatives), Int(cm.FalsePositives)],
                ["Pneumonia", Int(cm.FalseNegatives), Int(cm.TruePositives)],
            ]),
            new ReportImage(ReportFigures.Confusion, "Confusion matrix"),
        ]);
    }

    private static ReportSection Calibration(EvaluationSummary s) => new("Calibration",
    [
        new ReportParagraph($"**Brier** {Num(s.Metrics.Brier)}; **ECE** {Num(s.Metrics.Ece)} (top-label, {Int(ReliabilityBins.DefaultBinCount)} equal-width bins)."),
        new ReportImage(ReportFigures.Reliability, "Reliability diagram"),
    ]);

    private static ReportSection Routing(ReportContext c, EvaluationSummary s)
    {
        var r = s.Routing;
        return new ReportSection("Routing",
        [
            new ReportTable(["status", "films", "share"],
            [
                ["automated", Int(r.Automated), Pct(r.Total == 0 ? double.NaN : (double)r.Automated / r.Total)],
                ["pending_review", Int(r.PendingReview), Pct(r.Total == 0 ? double.NaN : (double)r.PendingReview / r.Total)],
            ]),
            new ReportParagraph("Reasons for review (a film may carry several):"),
            new ReportTable(["reason", "films"], r.Reasons.Count == 0
                ? [["(none)", "0"]]
                : r.Reasons.Select(p => (IReadOnlyList<string>)[$"`{p.Key}`", Int(p.Value)]).ToList()),
        ]);
    }

    private static ReportSection Selective(EvaluationSummary s)
    {
        var curve = s.Selective.Curve;
        var realised = s.Realised;
        IReadOnlyList<string> Row(string name, double? alpha, BinomialRate rate, int predicted) =>
        [
            name, alpha is { } a ? Pct(a) : "none", Int(predicted), Int(rate.N), Int(rate.Errors), Pct(rate.Rate, 2),
            Interval(rate.Lower, rate.Upper, v => Pct(v, 2)),
            alpha is { } b && rate.N > 0 ? (rate.Lower > b ? "**exceeded** (interval above alpha)" : rate.Rate <= b ? "within" : "above alpha, not significantly") : "–",
        ];
        return new ReportSection("Selective classification",
        [
            new ReportParagraph("Answer the films in order of confidence (calibrated probability of the predicted class) and stop at a coverage: " +
                                "the risk-coverage curve is the error rate among the answered films. AURC is its area (lower is better); " +
                                "E-AURC subtracts the area an ideal ranking would reach with the same errors, leaving only what the confidence ranking costs."),
            new ReportTable(["AURC", "optimal AURC", "E-AURC", "error at full coverage"],
                [[Num(curve.Aurc), Num(curve.OptimalAurc), Num(curve.ExcessAurc), Pct(curve.Risk[^1], 2)]]),
            new ReportTable(["coverage", "films answered", "accuracy"],
                s.Selective.AccuracyAtCoverage.Select(a => (IReadOnlyList<string>)[Pct(a.Coverage, 0), Int(a.Answered), Pct(a.Accuracy, 2)]).ToList()),
            new ReportParagraph("**Realised routing**: among the films the policy automated, the error rate per predicted class, with its exact 95 % " +
                                "Clopper-Pearson interval, beside the card's promise alpha for that class. The card certifies alpha with 95 % confidence on " +
                                "films like its calibration split; a set unlike it (shift) may legitimately exceed it."),
            new ReportTable(["predicted class", "card alpha", "predicted", "automated", "errors", "error rate", "95 % interval", "vs alpha"],
            [
                Row("Normal", realised.Normal.Alpha, realised.Normal.AutomatedError, realised.Normal.PredictedCases),
                Row("Pneumonia", realised.Pneumonia.Alpha, realised.Pneumonia.AutomatedError, realised.Pneumonia.PredictedCases),
                Row("all automated", null, realised.Overall, realised.Total),
            ]),
            new ReportImage(ReportFigures.RiskCoverage, "Risk-coverage curve with the policy's operating point"),
        ]);
    }

    private static ReportSection Faithfulness(DeletionTestResult d)
    {
        var o = d.Options;
        return new ReportSection("Grad-CAM faithfulness (deletion test)",
        [
            new ReportParagraph($"{Int(d.Films)} pneumonia films (mean base logit {Num(d.MeanBaseLogit, "0.00")}; {Int(d.SkippedEmptyMap)} skipped for an empty map). " +
                                "For each share k, the k % of pixels the pneumonia Grad-CAM (7x7, bilinear to 224x224) ranks highest are set to the film's mean level, " +
                                $"versus the same number of pixels in random {Int(o.BlockSide)}x{Int(o.BlockSide)} blocks (one map cell; mean of {Int(o.RandomRepeats)} seeded draws per film). " +
                                "Drop = base logit - logit after blanking; a faithful map drops it more. Errors are standard errors across films; " +
                                "'guided wins' is the share of films where the map-guided drop beat that film's random mean."),
            new ReportTable(["k", "Grad-CAM drop", "random drop", "difference", "guided wins"],
                d.Levels.Select(l => (IReadOnlyList<string>)
                [
                    Pct(l.Fraction, 0), $"{Num(l.GuidedDrop, "0.000")} ± {Num(l.GuidedStdErr, "0.000")}",
                    $"{Num(l.RandomDrop, "0.000")} ± {Num(l.RandomStdErr, "0.000")}", Num(l.GuidedDrop - l.RandomDrop, "0.000"), Pct(l.GuidedWins, 0),
                ]).ToList()),
            new ReportImage(ReportFigures.Deletion, "Deletion test: logit drop against the share blanked"),
        ]);
    }

    private static ReportSection Training(IReadOnlyList<TrainingEpoch> epochs)
    {
        var best = epochs.Where(e => !double.IsNaN(e.ValAuc)).MaxBy(e => e.ValAuc);
        var last = epochs[^1];
        return new ReportSection("Training curves",
        [
            new ReportParagraph($"From the bundle's `{TrainingLog.FileName}`: {Int(epochs.Count)} epochs, {Num(epochs.Where(e => !double.IsNaN(e.Seconds)).Sum(e => e.Seconds) / 60, "0.0")} min." +
                                (best is null ? "" : $" Best validation AUC {Num(best.ValAuc)} at epoch {Int(best.Epoch)}.")),
            new ReportTable(["epoch", "train loss", "val AUC", "val loss", "lr"],
                [[Int(last.Epoch), Num(last.TrainLoss), Num(last.ValAuc), Num(last.ValLoss), Num(last.LearningRate, "0.######")]]),
            new ReportImage(ReportFigures.Training, "Training loss and validation AUC per epoch"),
        ]);
    }
}
