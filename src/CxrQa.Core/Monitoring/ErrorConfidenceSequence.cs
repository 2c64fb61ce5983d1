using CxrQa.Core.Calibration;

namespace CxrQa.Core.Monitoring;

/// <summary>Lower and upper bounds of an error rate that hold at every sample size at once.</summary>
public readonly record struct ErrorBounds(long Errors, long Samples, double Lower, double Upper)
{
    public double? Rate => Samples == 0 ? null : (double)Errors / Samples;
}

/// <summary>
/// An anytime-valid confidence sequence for a Bernoulli error rate (Robbins' beta-binomial mixture). For each
/// candidate rate p, M_t(p) = B(a + k, b + t - k) / B(a, b) / (p^k (1 - p)^(t - k)) is a nonnegative martingale with
/// mean 1 when the true rate is p, so by Ville's inequality P(there is a t with M_t(p) &gt;= 1 / delta) &lt;= delta.
/// The set {p : M_t(p) &lt; 1 / delta} therefore covers the true rate at every t simultaneously with probability
/// 1 - delta: it may be looked at after every decision, forever, unlike a fixed-n Clopper-Pearson interval. The set is
/// an interval around k / t (-log M_t is concave in p with its maximum there), found by bisection.
/// The prior Beta(a, b) only spends power: (1, 9) puts it near 10 % errors, where a broken 1-2 % promise shows.
/// </summary>
public static class ErrorConfidenceSequence
{
    public const double PriorA = 1;
    public const double PriorB = 9;

    public static ErrorBounds Bounds(long errors, long samples, double delta, double priorA = PriorA, double priorB = PriorB)
    {
        if (samples < 0 || errors < 0 || errors > samples)
            throw new ArgumentOutOfRangeException(nameof(errors), $"need 0 <= errors ({errors}) <= samples ({samples})");
        if (!(delta is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "must lie in (0, 1)");
        if (samples == 0)
            return new ErrorBounds(0, 0, 0, 1);
        var level = Math.Log(1 / delta);
        var mixture = SpecialFunctions.LogBeta(priorA + errors, priorB + samples - errors) - SpecialFunctions.LogBeta(priorA, priorB);
        double LogM(double p) => mixture - errors * Math.Log(p) - (samples - errors) * Math.Log(1 - p);
        var estimate = (double)errors / samples;
        var lower = errors == 0 ? 0 : Bisect(1e-15, estimate, p => LogM(p) >= level);
        var upper = errors == samples ? 1 : Bisect(1 - 1e-15, estimate, p => LogM(p) >= level);
        return new ErrorBounds(errors, samples, lower, upper);
    }

    /// <summary>The boundary between <paramref name="outside"/> (where the predicate holds, or the end of the range)
    /// and <paramref name="inside"/> (where it does not): the bound is the last rate still inside the sequence.</summary>
    private static double Bisect(double outside, double inside, Func<double, bool> isOutside)
    {
        if (!isOutside(outside))
            return outside < inside ? 0 : 1;
        for (var i = 0; i < 200 && Math.Abs(outside - inside) > 1e-12; i++)
        {
            var middle = 0.5 * (outside + inside);
            if (isOutside(middle))
                outside = middle;
            else
                inside = middle;
        }
        return inside;
    }
}
