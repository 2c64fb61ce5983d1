namespace CxrQa.Core.Evaluation;

/// <summary>Accuracy when only the most confident share of films is answered.</summary>
public sealed record CoverageAccuracy(double Coverage, int Answered, double Accuracy);

/// <summary>The selective-classification numbers of a report: the curve, its areas and accuracy at fixed coverages.</summary>
public sealed record SelectiveSummary(RiskCoverageCurve Curve, IReadOnlyList<CoverageAccuracy> AccuracyAtCoverage)
{
    public static IReadOnlyList<double> StandardCoverages { get; } = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

    public static SelectiveSummary Compute(IReadOnlyList<ScreenedCase> cases, IReadOnlyList<double>? coverages = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var curve = RiskCoverageCurve.Compute(cases.Select(c => c.Confidence).ToArray(), cases.Select(c => c.Correct).ToArray());
        var rows = (coverages ?? StandardCoverages)
            .Select(c => new CoverageAccuracy(c, Math.Max(1, (int)Math.Ceiling(c * curve.N - 1e-9)), curve.AccuracyAtCoverage(c)))
            .ToList();
        return new SelectiveSummary(curve, rows);
    }
}
