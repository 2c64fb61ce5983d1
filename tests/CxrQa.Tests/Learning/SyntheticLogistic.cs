using CxrQa.Core.Learning;

namespace CxrQa.Tests.Learning;

/// <summary>Draws data from a known logistic model, with features of mixed offsets and scales (as raw embeddings have).</summary>
internal static class SyntheticLogistic
{
    public sealed record Sample(FeatureMatrix X, int[] Labels, double[] Offsets, double[] Scales);

    public static Sample Draw(int n, double[] rawWeights, double bias, int seed, double correlation = 0)
    {
        var d = rawWeights.Length;
        var random = new Random(seed);
        var offsets = Enumerable.Range(0, d).Select(j => -3 + 13.0 * random.NextDouble()).ToArray();
        var scales = Enumerable.Range(0, d).Select(j => 0.2 + 5.0 * random.NextDouble()).ToArray();
        var data = new float[n * d];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var shared = Gaussian(random);
            var logit = bias;
            for (var j = 0; j < d; j++)
            {
                var g = Math.Sqrt(1 - correlation) * Gaussian(random) + Math.Sqrt(correlation) * shared;
                var x = (float)(offsets[j] + scales[j] * g);
                data[i * d + j] = x;
                logit += rawWeights[j] * x;
            }
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
        }
        return new Sample(new FeatureMatrix(data, n, d), labels, offsets, scales);
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
