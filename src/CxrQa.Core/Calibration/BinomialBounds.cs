namespace CxrQa.Core.Calibration;

/// <summary>
/// Exact (Clopper-Pearson) one-sided confidence bounds on a binomial proportion: with probability at least
/// 1 - delta over the sample, the true rate is at most the upper bound (at least the lower bound).
/// </summary>
public static class BinomialBounds
{
    /// <summary>
    /// The p_u with P(Bin(n, p_u) &lt;= errors) = delta, i.e. the Beta(errors + 1, n - errors) quantile at 1 - delta;
    /// 1 when errors = n (no evidence against any rate).
    /// </summary>
    public static double ClopperPearsonUpper(int errors, int n, double delta)
    {
        Check(errors, n, delta);
        if (errors == n)
            return 1.0;
        return SpecialFunctions.InverseRegularizedIncompleteBeta(1 - delta, errors + 1, n - errors);
    }

    /// <summary>
    /// The p_l with P(Bin(n, p_l) &gt;= errors) = delta, i.e. the Beta(errors, n - errors + 1) quantile at delta;
    /// 0 when errors = 0.
    /// </summary>
    public static double ClopperPearsonLower(int errors, int n, double delta)
    {
        Check(errors, n, delta);
        if (errors == 0)
            return 0.0;
        return SpecialFunctions.InverseRegularizedIncompleteBeta(delta, errors, n - errors + 1);
    }

    /// <summary>
    /// Whether <see cref="ClopperPearsonUpper"/> is at most <paramref name="alpha"/>, decided exactly as
    /// P(Bin(n, alpha) &lt;= errors) &lt;= delta: one incomplete-beta evaluation instead of a quantile search, which is
    /// what lets threshold selection test thousands of candidates cheaply.
    /// </summary>
    public static bool UpperBoundAtMost(int errors, int n, double delta, double alpha)
    {
        Check(errors, n, delta);
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in [0, 1]");
        if (errors == n || n == 0)
            return alpha >= 1;
        return BinomialCdf(errors, n, alpha) <= delta;
    }

    /// <summary>P(Bin(n, p) &lt;= k) = I_{1-p}(n - k, k + 1).</summary>
    public static double BinomialCdf(int k, int n, double p)
    {
        if (n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"k = {k}, n = {n}");
        if (k >= n)
            return 1.0;
        return SpecialFunctions.RegularizedIncompleteBeta(1 - p, n - k, k + 1);
    }

    /// <summary>The fewest answers with no error at all for which the upper bound can be at most alpha: ceil(ln delta / ln(1 - alpha)).</summary>
    public static int MinimumSampleForZeroErrors(double alpha, double delta)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in (0, 1)");
        if (!(delta > 0 && delta < 1))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must lie in (0, 1)");
        // The closed form for k = 0 is 1 - delta^(1/n) <= alpha; floating point can put the ceiling one off at the
        // edge, so the exact test settles it.
        var n = (int)Math.Max(1, Math.Ceiling(Math.Log(delta) / Math.Log(1 - alpha)) - 1);
        while (!UpperBoundAtMost(0, n, delta, alpha))
            n++;
        return n;
    }

    private static void Check(int errors, int n, double delta)
    {
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must not be negative");
        if (errors < 0 || errors > n)
            throw new ArgumentOutOfRangeException(nameof(errors), errors, $"errors must lie in [0, n = {n}]");
        if (!(delta > 0 && delta < 1))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must lie in (0, 1)");
    }
}
