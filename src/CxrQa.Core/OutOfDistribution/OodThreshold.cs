namespace CxrQa.Core.OutOfDistribution;

/// <summary>
/// The out-of-distribution cut-off: a score above <see cref="Value"/> sends the film to review as
/// out_of_distribution.
/// </summary>
/// <param name="Value">Scores strictly above this are flagged.</param>
/// <param name="Percentile">The percentile of calibration scores it was taken at, in (0, 100).</param>
/// <param name="CalibrationCases">How many held-out in-distribution scores it was taken from.</param>
public sealed record OodThreshold(double Value, double Percentile, int CalibrationCases)
{
    /// <summary>
    /// The ceil((n + 1) q)-th smallest of n held-out scores, q = percentile / 100. For a new film exchangeable with
    /// the calibration films this flags it with probability at most 1 - q (the conformal quantile), and at least
    /// 1 - q - 1 / (n + 1); the plain empirical percentile would flag slightly more than promised.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than q / (1 - q) scores: no calibration score is high enough to promise 1 - q.</exception>
    public static OodThreshold FromScores(ReadOnlySpan<double> scores, double percentile = 99.5)
    {
        if (!(percentile > 0 && percentile < 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile lies in (0, 100)");
        foreach (var s in scores)
            if (double.IsNaN(s))
                throw new ArgumentException("a score is NaN", nameof(scores));
        var n = scores.Length;
        var q = percentile / 100;
        var rank = (long)Math.Ceiling((n + 1) * q - 1e-9);
        if (rank > n)
            throw new ArgumentException(
                $"{n} calibration scores cannot certify a {percentile} % percentile; need at least {(int)Math.Ceiling(q / (1 - q) - 1e-9)}",
                nameof(scores));
        var sorted = scores.ToArray();
        Array.Sort(sorted);
        return new OodThreshold(sorted[Math.Max(0, rank - 1)], percentile, n);
    }

    /// <summary>True when the score is above the threshold (or NaN: an unscorable embedding is not trusted).</summary>
    public bool IsOutOfDistribution(double score) => !(score <= Value);
}
