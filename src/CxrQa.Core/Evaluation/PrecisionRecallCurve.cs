namespace CxrQa.Core.Evaluation;

/// <summary>
/// Precision-recall curve of the pneumonia score: point j calls positive every film scoring at least Thresholds[j]
/// (tied scores switch together). Average precision is the step sum sum_j (R_j - R_{j-1}) P_j, as in scikit-learn:
/// no interpolation, which would overstate a curve with few points.
/// </summary>
public sealed record PrecisionRecallCurve(double[] Recall, double[] Precision, double[] Thresholds, double AveragePrecision, double Prevalence)
{
    public int Count => Thresholds.Length;

    public static PrecisionRecallCurve Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        LabelChecks.Validate(scores, labels);
        var positives = LabelChecks.Positives(labels);
        if (positives == 0) throw new ArgumentException("a precision-recall curve needs positives", nameof(labels));

        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);

        var recall = new List<double>();
        var precision = new List<double>();
        var thresholds = new List<double>();
        var ap = 0.0;
        var previousRecall = 0.0;
        int tp = 0, called = 0;
        for (var k = keys.Length - 1; k >= 0;)
        {
            var score = keys[k];
            while (k >= 0 && keys[k] == score)
            {
                if (labels[order[k]] == 1) tp++;
                called++;
                k--;
            }
            var r = (double)tp / positives;
            var p = (double)tp / called;
            ap += (r - previousRecall) * p;
            previousRecall = r;
            recall.Add(r);
            precision.Add(p);
            thresholds.Add(score);
        }
        return new PrecisionRecallCurve(recall.ToArray(), precision.ToArray(), thresholds.ToArray(), ap, (double)positives / scores.Length);
    }
}
