namespace CxrQa.Tests.Calibration;

/// <summary>
/// An independent reference for binomial tail probabilities: direct summation of the pmf in log space with
/// log-factorials built by summing logs, so it shares no code with the incomplete beta under test.
/// </summary>
internal static class ExactBinomial
{
    /// <summary>P(Bin(n, p) &lt;= k).</summary>
    public static double Cdf(int k, int n, double p)
    {
        if (k >= n)
            return 1.0;
        if (k < 0)
            return 0.0;
        var logFactorial = LogFactorials(n);
        var logP = Math.Log(p);
        var logQ = Math.Log(1 - p);
        var terms = new double[k + 1];
        var max = double.NegativeInfinity;
        for (var i = 0; i <= k; i++)
        {
            terms[i] = logFactorial[n] - logFactorial[i] - logFactorial[n - i] + i * logP + (n - i) * logQ;
            max = Math.Max(max, terms[i]);
        }
        if (double.IsNegativeInfinity(max))
            return 0.0;
        var sum = 0.0;
        foreach (var t in terms)
            sum += Math.Exp(t - max);
        return Math.Exp(max + Math.Log(sum));
    }

    /// <summary>P(Bin(n, p) &gt;= k).</summary>
    public static double UpperTail(int k, int n, double p) => k <= 0 ? 1.0 : 1.0 - Cdf(k - 1, n, p);

    private static double[] LogFactorials(int n)
    {
        var table = new double[n + 1];
        for (var i = 1; i <= n; i++)
            table[i] = table[i - 1] + Math.Log(i);
        return table;
    }
}
