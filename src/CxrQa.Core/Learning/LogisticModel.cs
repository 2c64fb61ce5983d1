using CxrQa.Core.Model;

namespace CxrQa.Core.Learning;

/// <summary>A binary linear classifier on raw features: logit = Weights . x + Bias (the pneumonia logit).</summary>
public sealed record LogisticModel(double[] Weights, double Bias)
{
    public double Logit(ReadOnlySpan<float> features)
    {
        if (features.Length != Weights.Length)
            throw new ArgumentException($"expected {Weights.Length} features, got {features.Length}", nameof(features));
        var sum = Bias;
        for (var j = 0; j < features.Length; j++) sum += Weights[j] * features[j];
        return sum;
    }

    public double Probability(ReadOnlySpan<float> features) => Sigmoid.Of(Logit(features));

    public double[] Logits(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Rows];
        for (var i = 0; i < x.Rows; i++) result[i] = Logit(x.Row(i));
        return result;
    }

    public double[] Probabilities(FeatureMatrix x) => Logits(x).Select(Sigmoid.Of).ToArray();

    /// <summary>The head as the model card stores it (float, like the serving graph).</summary>
    public LinearHeadCard ToHeadCard() => new()
    {
        Weights = Weights.Select(w => (float)w).ToArray(),
        Bias = (float)Bias,
    };
}
