namespace CxrQa.Core.Calibration;

/// <summary>
/// The special functions the binomial bounds need, written out so the trust layer depends on no maths library
/// whose numerical behaviour we have not tested.
/// </summary>
public static class SpecialFunctions
{
    // Lanczos approximation, g = 7, n = 9 (the coefficients of Numerical Recipes / Boost's lanczos13m53 family):
    // relative error about 1e-15 for x > 0.
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Gamma(x) for x > 0.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0) || double.IsInfinity(x))
            throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma is defined here for finite x > 0");
        if (x < 0.5)
            // Reflection keeps the series in its accurate range: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        var sum = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < Lanczos.Length; i++)
            sum += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b).</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>The regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1].</summary>
    /// <remarks>
    /// Continued fraction evaluated by the modified Lentz method. It converges fast for x &lt; (a + 1) / (a + b + 2);
    /// above that the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) is used, so the fraction always runs in its good range.
    /// </remarks>
    public static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (!(a > 0) || !(b > 0) || double.IsInfinity(a) || double.IsInfinity(b))
            throw new ArgumentOutOfRangeException(nameof(a), $"a = {a}, b = {b}: both must be positive and finite");
        if (!(x >= 0 && x <= 1))
            throw new ArgumentOutOfRangeException(nameof(x), x, "x must lie in [0, 1]");
        if (x == 0)
            return 0;
        if (x == 1)
            return 1;
        var logFront = a * Math.Log(x) + b * Log1P(-x) - LogBeta(a, b);
        if (x < (a + 1) / (a + b + 2))
            return Math.Exp(logFront) * BetaContinuedFraction(x, a, b) / a;
        return 1 - Math.Exp(logFront) * BetaContinuedFraction(1 - x, b, a) / b;
    }

    /// <summary>The x in [0, 1] with I_x(a, b) = p, by bisection to the resolution of a double (well below 1e-12).</summary>
    /// <remarks>Bisection rather than Newton: I_x is monotone, so bisection cannot diverge, and ~60 steps are cheap.</remarks>
    public static double InverseRegularizedIncompleteBeta(double p, double a, double b)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must lie in [0, 1]");
        if (p == 0)
            return 0;
        if (p == 1)
            return 1;
        double lo = 0, hi = 1;
        for (var i = 0; i < 200; i++)
        {
            var mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi)
                break;
            if (RegularizedIncompleteBeta(mid, a, b) < p)
                lo = mid;
            else
                hi = mid;
        }
        return lo + (hi - lo) / 2;
    }

    /// <summary>ln(1 + x), accurate for tiny |x| (the BCL's LogP1 is computed as Log(x + 1), which is not).</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        // Goldberg's correction: the rounding error in forming 1 + x cancels in log(u) * x / (u - 1).
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    private static double BetaContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        const double epsilon = 1e-16;
        // Converges in O(sqrt(max(a, b))) terms in the range it is called in; the cap only stops a runaway.
        const int maxTerms = 1_000_000;
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny)
            d = tiny;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= maxTerms; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < tiny)
                d = tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < tiny)
                c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < tiny)
                d = tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < tiny)
                c = tiny;
            d = 1 / d;
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < epsilon)
                return h;
        }
        throw new InvalidOperationException($"incomplete beta continued fraction did not converge (x = {x}, a = {a}, b = {b})");
    }
}
