namespace CxrQa.Core.Evaluation;

/// <summary>
/// Selective classification: answer only the most confident films. Point j of the curve answers every film whose
/// confidence is at least Thresholds[j]; Coverage[j] is the share answered and Risk[j] the error rate among them.
/// </summary>
/// <remarks>
/// Films with equal confidence cannot be separated by any threshold, so they enter together: one point per distinct
/// confidence. AURC (Geifman et al., ICLR 2019) is the mean over k = 1..n of the risk among the top k answers; inside
/// a tie the order is undefined, so the risk there is the expectation over every order of the tied films (their
/// errors arrive at the group's average rate). That makes the area independent of input order and equal to the
/// textbook sum when all confidences differ.
/// </remarks>
/// <param name="Aurc">Area under the risk-coverage curve (0 best).</param>
/// <param name="OptimalAurc">The area an oracle confidence would reach with the same errors: all right answers first.</param>
public sealed record RiskCoverageCurve(
    double[] Coverage, double[] Risk, double[] Thresholds, int[] Answered, int[] Errors, double Aurc, double OptimalAurc)
{
    /// <summary>E-AURC: the part of AURC due to ranking, not to the classifier's error rate.</summary>
    public double ExcessAurc => Aurc - OptimalAurc;

    public int Count => Coverage.Length;

    /// <summary>Films the curve was computed on.</summary>
    public int N => Answered.Length == 0 ? 0 : Answered[^1];

    /// <param name="confidences">Confidence of each answer (any monotone score; higher = more sure).</param>
    /// <param name="correct">Whether each answer was right.</param>
    public static RiskCoverageCurve Compute(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct)
    {
        if (confidences.Length != correct.Length)
            throw new ArgumentException($"{confidences.Length} confidences but {correct.Length} outcomes", nameof(correct));
        var n = confidences.Length;
        if (n == 0) throw new ArgumentException("no answers", nameof(confidences));
        for (var i = 0; i < n; i++)
            if (double.IsNaN(confidences[i])) throw new ArgumentException($"confidence {i} is NaN", nameof(confidences));

        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var keys = confidences.ToArray();
        Array.Sort(keys, order);

        var coverage = new List<double>();
        var risk = new List<double>();
        var thresholds = new List<double>();
        var answered = new List<int>();
        var errorsSoFar = new List<int>();
        var area = 0.0;
        int k = 0, errors = 0;
        for (var end = n - 1; end >= 0;)
        {
            var value = keys[end];
            int groupSize = 0, groupErrors = 0;
            while (end >= 0 && keys[end] == value)
            {
                groupSize++;
                if (!correct[order[end]]) groupErrors++;
                end--;
            }
            var rate = (double)groupErrors / groupSize;
            for (var j = 1; j <= groupSize; j++)
                area += (errors + j * rate) / (k + j);
            k += groupSize;
            errors += groupErrors;
            coverage.Add((double)k / n);
            risk.Add((double)errors / k);
            thresholds.Add(value);
            answered.Add(k);
            errorsSoFar.Add(errors);
        }
        return new RiskCoverageCurve(coverage.ToArray(), risk.ToArray(), thresholds.ToArray(), answered.ToArray(),
            errorsSoFar.ToArray(), area / n, OptimalArea(n, errors));
    }

    /// <summary>AURC of the ideal ranking with <paramref name="errors"/> wrong answers among <paramref name="n"/>.</summary>
    public static double OptimalArea(int n, int errors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (errors < 0 || errors > n) throw new ArgumentOutOfRangeException(nameof(errors), errors, $"errors must lie in [0, {n}]");
        var sum = 0.0;
        for (var k = n - errors + 1; k <= n; k++)
            sum += (double)(k - (n - errors)) / k;
        return sum / n;
    }

    /// <summary>Error rate among the ceil(coverage x n) most confident answers (at least one), ties broken as in
    /// the area: the expectation over the tied films' orders.</summary>
    public double RiskAtCoverage(double coverage)
    {
        if (!(coverage > 0 && coverage <= 1)) throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "coverage must be in (0, 1]");
        var target = Math.Max(1, (int)Math.Ceiling(coverage * N - 1e-9));
        var j = Array.FindIndex(Answered, a => a >= target);
        var beforeAnswered = j == 0 ? 0 : Answered[j - 1];
        var beforeErrors = j == 0 ? 0 : Errors[j - 1];
        var groupRate = (double)(Errors[j] - beforeErrors) / (Answered[j] - beforeAnswered);
        return (beforeErrors + (target - beforeAnswered) * groupRate) / target;
    }

    /// <summary>1 - <see cref="RiskAtCoverage"/>.</summary>
    public double AccuracyAtCoverage(double coverage) => 1 - RiskAtCoverage(coverage);
}
