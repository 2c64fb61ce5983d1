using CxrQa.Core.Calibration;

namespace CxrQa.Tests.Calibration;

/// <summary>
/// How a simulation decides whether a procedure keeps "violates alpha in at most delta of calibration draws":
/// violations over seeded draws are a binomial count, so the decision is a one-sided exact test, not a raw fraction.
/// </summary>
internal static class ViolationFrequency
{
    /// <summary>The test's own error: a correct procedure is called broken in at most 1 in 1000 seeds' worlds.</summary>
    public const double Significance = 0.001;

    /// <summary>
    /// True when the count is too high for a procedure whose true violation probability is delta:
    /// P(Bin(draws, delta) &gt;= violations) &lt; <see cref="Significance"/>, i.e. the exact lower confidence bound of the
    /// violation frequency exceeds delta.
    /// </summary>
    public static bool ClearlyAbove(int violations, int draws, double delta) =>
        violations > 0 && BinomialBounds.ClopperPearsonLower(violations, draws, Significance) > delta;

    public static string Describe(string name, int violations, int draws) =>
        $"{name}: {violations}/{draws} = {violations / (double)draws:P1} of draws violate alpha " +
        $"(99.9 % lower bound {BinomialBounds.ClopperPearsonLower(violations, draws, Significance):P1})";
}
