namespace CxrQa.Core.Learning;

/// <summary>Per-feature mean and population standard deviation of a training set: z = (x - Mean) / Scale.</summary>
/// <remarks>A constant feature gets Scale 1: it centres to 0 everywhere, carries no information and the penalty
/// keeps its weight at 0, which a zero scale would turn into 0/0.</remarks>
public sealed record Standardisation(double[] Mean, double[] Scale)
{
    public static Standardisation Of(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rows == 0) throw new ArgumentException("no rows", nameof(x));
        var d = x.Columns;
        var mean = new double[d];
        var m2 = new double[d];
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (var j = 0; j < d; j++) mean[j] += row[j];
        }
        for (var j = 0; j < d; j++) mean[j] /= x.Rows;
        // Two-pass variance: embeddings can have a large mean and a small spread.
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (var j = 0; j < d; j++)
            {
                var c = row[j] - mean[j];
                m2[j] += c * c;
            }
        }
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            var sd = Math.Sqrt(m2[j] / x.Rows);
            scale[j] = sd > 1e-12 * Math.Max(1, Math.Abs(mean[j])) ? sd : 1;
        }
        return new Standardisation(mean, scale);
    }

    /// <summary>Turns weights on standardised features into weights on raw features giving identical logits.</summary>
    public LogisticModel ToRaw(ReadOnlySpan<double> standardisedWeights, double standardisedBias)
    {
        var w = new double[Mean.Length];
        var b = standardisedBias;
        for (var j = 0; j < w.Length; j++)
        {
            w[j] = standardisedWeights[j] / Scale[j];
            b -= w[j] * Mean[j];
        }
        return new LogisticModel(w, b);
    }

    /// <summary>The inverse of <see cref="ToRaw"/>: a raw model's weights and bias on standardised features.</summary>
    public (double[] Weights, double Bias) FromRaw(LogisticModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var v = new double[Mean.Length];
        var b = model.Bias;
        for (var j = 0; j < v.Length; j++)
        {
            v[j] = model.Weights[j] * Scale[j];
            b += model.Weights[j] * Mean[j];
        }
        return (v, b);
    }
}
