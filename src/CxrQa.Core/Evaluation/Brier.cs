namespace CxrQa.Core.Evaluation;

/// <summary>Brier score: mean squared difference between the pneumonia probability and the label (0 best, 1 worst).</summary>
public static class Brier
{
    public static double Score(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels)
    {
        LabelChecks.Validate(probabilities, labels);
        if (probabilities.Length == 0) return double.NaN;
        var sum = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probabilities), p, $"probability {i} is outside [0, 1]");
            var e = p - labels[i];
            sum += e * e;
        }
        return sum / probabilities.Length;
    }
}
