namespace CxrQa.Core.Calibration;

/// <summary>
/// The outcome of <see cref="SelectiveThreshold.Select"/>: the lowest confidence threshold whose calibration answers
/// (confidence &gt;= threshold) certify an error rate of at most <see cref="Alpha"/> at confidence 1 - <see cref="Delta"/>.
/// </summary>
/// <param name="Threshold">Automate answers with confidence at or above this; null when no threshold could be certified.</param>
/// <param name="N">Calibration answers at or above the threshold (0 when none was certified).</param>
/// <param name="Errors">How many of those were wrong.</param>
/// <param name="UpperBound">Clopper-Pearson upper bound on their error rate at 1 - delta (1 when none was certified).</param>
/// <param name="Coverage">N / <see cref="CalibrationCases"/>: the fraction of calibration answers that would be automated.</param>
/// <param name="CalibrationCases">All calibration answers the selection saw.</param>
/// <param name="Alpha">The error rate that was certified (after any safety margin).</param>
/// <param name="Delta">The allowed probability that the certificate is wrong.</param>
public sealed record ThresholdSelection(
    double? Threshold,
    int N,
    int Errors,
    double UpperBound,
    double Coverage,
    int CalibrationCases,
    double Alpha,
    double Delta)
{
    public static ThresholdSelection None(int calibrationCases, double alpha, double delta) =>
        new(null, 0, 0, 1.0, 0.0, calibrationCases, alpha, delta);
}
