using CxrQa.Core.Evaluation;
using CxrQa.Core.Explain;

namespace CxrQa.Cli.Reports;

/// <summary>The report's PNG files: fixed names beside report.md, written from the summary.</summary>
public static class ReportFigures
{
    public const string Roc = "roc.png";
    public const string PrecisionRecall = "pr.png";
    public const string Reliability = "reliability.png";
    public const string Confusion = "confusion.png";
    public const string RiskCoverage = "risk_coverage.png";
    public const string Deletion = "deletion.png";
    public const string Training = "training.png";

    public static void WriteAll(string outDir, string modelName, EvaluationSummary summary, DeletionTestResult? deletion,
        IReadOnlyList<TrainingEpoch>? training)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string At(string name) => Path.Combine(outDir, name);
        PlotWriter.Roc(At(Roc), summary.Roc, $"ROC ({modelName})");
        PrecisionRecallPlot.Write(At(PrecisionRecall), summary.PrecisionRecall);
        PlotWriter.Reliability(At(Reliability), summary.Reliability, $"Reliability ({modelName})");
        ConfusionMatrixPlot.Write(At(Confusion), summary.Metrics.ConfusionMatrix);
        var realised = summary.Realised;
        RiskCoveragePlot.Write(At(RiskCoverage), summary.Selective.Curve,
            realised.Automated == 0 ? null : (realised.Coverage, realised.Overall.Rate));
        if (deletion is { Films: > 0 }) DeletionCurvePlot.Write(At(Deletion), deletion);
        if (training is { Count: > 0 }) TrainingCurvesPlot.Write(At(Training), training);
    }
}
