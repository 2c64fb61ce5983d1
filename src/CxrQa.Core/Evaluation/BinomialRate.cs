using CxrQa.Core.Calibration;

namespace CxrQa.Core.Evaluation;

/// <summary>An observed error rate with its two-sided exact (Clopper-Pearson) interval.</summary>
/// <param name="Rate">Errors / N; NaN when N = 0.</param>
/// <param name="Lower">Lower end of the interval (NaN when N = 0).</param>
/// <param name="Upper">Upper end of the interval (NaN when N = 0).</param>
public sealed record BinomialRate(int Errors, int N, double Rate, double Lower, double Upper, double Level)
{
    /// <param name="level">Two-sided coverage, e.g. 0.95: each end is a one-sided bound at (1 - level) / 2.</param>
    public static BinomialRate Of(int errors, int n, double level = 0.95)
    {
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "level must be in (0, 1)");
        if (n == 0) return new BinomialRate(0, 0, double.NaN, double.NaN, double.NaN, level);
        var tail = (1 - level) / 2;
        return new BinomialRate(errors, n, (double)errors / n,
            BinomialBounds.ClopperPearsonLower(errors, n, tail), BinomialBounds.ClopperPearsonUpper(errors, n, tail), level);
    }
}
