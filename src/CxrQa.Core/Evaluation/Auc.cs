namespace CxrQa.Core.Evaluation;

/// <summary>
/// Area under the ROC curve as the Mann-Whitney statistic: the probability that a random positive scores above a
/// random negative, ties counting one half. Equals the trapezoidal area under <see cref="RocCurve"/>.
/// </summary>
public static class Auc
{
    /// <returns>NaN when either class is absent (the area is undefined, not 0.5).</returns>
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        LabelChecks.Validate(scores, labels);
        var n = scores.Length;
        var positives = LabelChecks.Positives(labels);
        var negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;

        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);

        // Sum of the positives' ranks, tied scores sharing their average rank.
        var rankSum = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && keys[end + 1] == keys[start]) end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                if (labels[order[k]] == 1) rankSum += averageRank;
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
