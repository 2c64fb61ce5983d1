namespace CxrQa.Core.Evaluation;

internal static class LabelChecks
{
    public static void Validate(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels", nameof(labels));
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"label {i} is {labels[i]}; expected 0 or 1", nameof(labels));
            if (double.IsNaN(scores[i])) throw new ArgumentException($"score {i} is NaN", nameof(scores));
        }
    }

    public static int Positives(ReadOnlySpan<int> labels)
    {
        var count = 0;
        foreach (var l in labels) count += l;
        return count;
    }
}
