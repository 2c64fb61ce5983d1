namespace CxrQa.Core.Evaluation;

/// <summary>Every number of an evaluation report, computed from the screened films alone (no I/O).</summary>
public sealed record EvaluationSummary(
    BinaryMetrics Metrics,
    IReadOnlyList<NamedInterval> Intervals,
    RocCurve Roc,
    PrecisionRecallCurve PrecisionRecall,
    ReliabilityBins Reliability,
    RoutingSummary Routing,
    RealisedRouting Realised,
    SelectiveSummary Selective)
{
    /// <param name="alphaNormal">The card's promised error rate for automated "Normal" answers (null: no promise).</param>
    /// <param name="alphaPneumonia">Likewise for "Pneumonia".</param>
    /// <param name="bootstrapSeed">Seed of the metric intervals, so that a report can be reproduced exactly.</param>
    public static EvaluationSummary Compute(IReadOnlyList<ScreenedCase> cases, double? alphaNormal, double? alphaPneumonia,
        int bootstrapResamples = 2000, int bootstrapSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var p = cases.Select(c => c.PneumoniaProbability).ToArray();
        var y = cases.Select(c => c.Label).ToArray();
        return new EvaluationSummary(
            BinaryMetrics.Compute(p, y),
            MetricIntervals.Compute(p, y, resamples: bootstrapResamples, seed: bootstrapSeed),
            RocCurve.Compute(p, y),
            PrecisionRecallCurve.Compute(p, y),
            ReliabilityBins.Compute(p, y),
            RoutingSummary.Compute(cases),
            RealisedRouting.Compute(cases, alphaNormal, alphaPneumonia),
            SelectiveSummary.Compute(cases));
    }
}
