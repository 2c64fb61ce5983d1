namespace CxrQa.Core.Calibration;

/// <summary>Mean binary negative log-likelihood of sigmoid(logit / T), the objective temperature scaling minimises.</summary>
public static class BinaryNll
{
    /// <summary>Mean over cases of -log p(label), with p = sigmoid(logit / temperature); labels are 0 or 1.</summary>
    public static double Mean(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, double temperature)
    {
        CheckInputs(logits, labels);
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive and finite");
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var z = logits[i] / temperature;
            // -log sigmoid(z) for label 1 and -log(1 - sigmoid(z)) for label 0 are softplus(-z) and softplus(z):
            // written this way neither overflows nor loses the tail when |z| is large.
            sum += Softplus(labels[i] == 1 ? -z : z);
        }
        return sum / logits.Length;
    }

    internal static double Softplus(double x) => Math.Max(x, 0) + SpecialFunctions.Log1P(Math.Exp(-Math.Abs(x)));

    internal static void CheckInputs(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels)
    {
        if (logits.Length != labels.Length)
            throw new ArgumentException($"{logits.Length} logits but {labels.Length} labels", nameof(labels));
        if (logits.IsEmpty)
            throw new ArgumentException("no cases", nameof(logits));
        foreach (var y in labels)
            if (y is not (0 or 1))
                throw new ArgumentException($"a label is 0 or 1, not {y}", nameof(labels));
        foreach (var z in logits)
            if (!double.IsFinite(z))
                throw new ArgumentException("a logit is not finite", nameof(logits));
    }
}
