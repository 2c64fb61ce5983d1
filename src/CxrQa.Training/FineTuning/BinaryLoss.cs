namespace CxrQa.Training.FineTuning;

/// <summary>Unweighted mean binary cross-entropy of logits (the validation loss), computed stably.</summary>
public static class BinaryLoss
{
    public static double Mean(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels)
    {
        if (logits.Length == 0) return double.NaN;
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            double z = logits[i];
            // -[y log s(z) + (1-y) log(1-s(z))] = max(z,0) - y z + log(1 + e^-|z|)
            sum += Math.Max(z, 0) - labels[i] * z + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return sum / logits.Length;
    }

    public static double[] Probabilities(ReadOnlySpan<float> logits)
    {
        var p = new double[logits.Length];
        for (var i = 0; i < p.Length; i++)
            p[i] = 1 / (1 + Math.Exp(-(double)logits[i]));
        return p;
    }
}
