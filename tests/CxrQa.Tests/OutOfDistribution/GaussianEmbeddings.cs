using CxrQa.Tests.Calibration;

namespace CxrQa.Tests.OutOfDistribution;

/// <summary>
/// Synthetic "embeddings": two classes x = mu_c + A z, z ~ N(0, I), sharing the covariance A A^T. A = I + small
/// random off-diagonal terms with varying column scales, so the covariance is neither diagonal nor isotropic.
/// </summary>
internal sealed class GaussianEmbeddings
{
    private readonly SeededGaussian _g;
    private readonly double[,] _a;
    private readonly bool _isotropic;

    public GaussianEmbeddings(int dimension, int seed, bool isotropic = false)
    {
        Dimension = dimension;
        _g = new SeededGaussian(seed);
        _isotropic = isotropic;
        _a = new double[dimension, dimension];
        for (var i = 0; i < dimension; i++)
            for (var j = 0; j < dimension; j++)
                _a[i, j] = isotropic ? (i == j ? 1 : 0) : (i == j ? 0.5 + 1.5 * _g.Uniform.NextDouble() : 0.3 * _g.Next() / Math.Sqrt(dimension));
        Means = new double[2][];
        for (var c = 0; c < 2; c++)
            Means[c] = Enumerable.Range(0, dimension).Select(_ => 2.0 * _g.Next() / Math.Sqrt(dimension) + (c == 1 ? 1.0 : 0.0)).ToArray();
    }

    public int Dimension { get; }

    public double[][] Means { get; }

    /// <summary>
    /// n rows, classes alternating 0, 1. <paramref name="shift"/> is added to even and subtracted from odd
    /// coordinates: a direction unlike the class difference (which is along the all-ones vector), so a shifted
    /// film does not just look like the other class. <paramref name="scale"/> widens the spread.
    /// </summary>
    public (float[] Rows, int[] Labels) Draw(int n, double shift = 0.0, double scale = 1.0)
    {
        var d = Dimension;
        var rows = new float[n * d];
        var labels = new int[n];
        var z = new double[d];
        for (var k = 0; k < n; k++)
        {
            var c = k % 2;
            labels[k] = c;
            for (var j = 0; j < d; j++)
                z[j] = _g.Next();
            for (var i = 0; i < d; i++)
            {
                var v = 0.0;
                if (_isotropic)
                    v = z[i];
                else
                    for (var j = 0; j < d; j++)
                        v += _a[i, j] * z[j];
                rows[k * d + i] = (float)(Means[c][i] + scale * v + (i % 2 == 0 ? shift : -shift));
            }
        }
        return (rows, labels);
    }

    public static double[] Scores(CxrQa.Core.OutOfDistribution.MahalanobisDetector detector, float[] rows)
    {
        var d = detector.Dimension;
        var scores = new double[rows.Length / d];
        for (var k = 0; k < scores.Length; k++)
            scores[k] = detector.Score(rows.AsSpan(k * d, d));
        return scores;
    }

    /// <summary>P(a random positive scores above a random negative), ties counting half (Mann-Whitney).</summary>
    public static double Auroc(double[] negatives, double[] positives)
    {
        var all = negatives.Select(s => (s, false)).Concat(positives.Select(s => (s, true))).OrderBy(t => t.s).ToArray();
        double rankSum = 0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j < all.Length && all[j].s == all[i].s)
                j++;
            var averageRank = (i + j + 1) / 2.0;
            for (var k = i; k < j; k++)
                if (all[k].Item2)
                    rankSum += averageRank;
            i = j;
        }
        var np = (double)positives.Length;
        return (rankSum - np * (np + 1) / 2) / (np * negatives.Length);
    }
}
