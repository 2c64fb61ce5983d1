namespace CxrQa.Core.Evaluation;

/// <summary>A point estimate with a percentile-bootstrap interval.</summary>
/// <param name="Resamples">Resamples on which the metric was defined (e.g. AUC needs both classes).</param>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, double Level, int Resamples);

/// <summary>Percentile bootstrap over films, seeded so that a report can be reproduced exactly.</summary>
public static class BootstrapInterval
{
    /// <param name="metric">Any metric of (scores, labels), e.g. <c>(s, y) =&gt; Auc.Compute(s, y)</c>.</param>
    public static ConfidenceInterval Compute(
        IReadOnlyList<double> scores, IReadOnlyList<int> labels, Func<double[], int[], double> metric,
        int resamples = 2000, double level = 0.95, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(metric);
        if (scores.Count != labels.Count) throw new ArgumentException($"{scores.Count} scores but {labels.Count} labels", nameof(labels));
        if (scores.Count == 0) throw new ArgumentException("no samples", nameof(scores));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "level must be in (0, 1)");

        var s = scores.ToArray();
        var y = labels.ToArray();
        var estimate = metric(s, y);
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var rs = new double[s.Length];
        var ry = new int[s.Length];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < s.Length; i++)
            {
                var k = random.Next(s.Length);
                rs[i] = s[k];
                ry[i] = y[k];
            }
            var v = metric(rs, ry);
            if (!double.IsNaN(v)) values.Add(v);
        }
        if (values.Count == 0) return new ConfidenceInterval(estimate, double.NaN, double.NaN, level, 0);
        values.Sort();
        var alpha = (1 - level) / 2;
        return new ConfidenceInterval(estimate, Quantile(values, alpha), Quantile(values, 1 - alpha), level, values.Count);
    }

    /// <summary>Linear interpolation between order statistics (the usual "type 7" quantile).</summary>
    private static double Quantile(List<double> sorted, double q)
    {
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
