namespace CxrQa.Core.Evaluation;

/// <summary>
/// The ROC curve: one point per distinct score threshold, from (0,0) (nothing called positive) to (1,1).
/// Point k calls positive every film with score >= Thresholds[k]; the first threshold is +infinity.
/// </summary>
public sealed record RocCurve(double[] FalsePositiveRates, double[] TruePositiveRates, double[] Thresholds, double Auc)
{
    public int Count => Thresholds.Length;

    public static RocCurve Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        LabelChecks.Validate(scores, labels);
        var positives = LabelChecks.Positives(labels);
        var negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException("a ROC curve needs both classes", nameof(labels));

        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);

        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        int tp = 0, fp = 0;
        for (var k = keys.Length - 1; k >= 0;)
        {
            // All films sharing a score switch together: a tie is one diagonal step, which is what gives it half credit.
            var score = keys[k];
            while (k >= 0 && keys[k] == score)
            {
                if (labels[order[k]] == 1) tp++; else fp++;
                k--;
            }
            fpr.Add((double)fp / negatives);
            tpr.Add((double)tp / positives);
            thresholds.Add(score);
        }
        var area = 0.0;
        for (var i = 1; i < fpr.Count; i++) area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), thresholds.ToArray(), area);
    }
}
