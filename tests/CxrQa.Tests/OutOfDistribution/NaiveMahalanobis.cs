namespace CxrQa.Tests.OutOfDistribution;

/// <summary>
/// The textbook computation in double precision with no cleverness: explicit outer products for the Ledoit-Wolf
/// terms, Gauss-Jordan inversion, quadratic form with the inverse. O(n d^2 + d^3), for small d only.
/// </summary>
internal sealed class NaiveMahalanobis
{
    private readonly double[][] _means;
    private readonly double[,] _precision;

    private NaiveMahalanobis(double[][] means, double[,] precision, double shrinkage)
    {
        _means = means;
        _precision = precision;
        Shrinkage = shrinkage;
    }

    public double Shrinkage { get; }

    public static NaiveMahalanobis Fit(float[] rows, int d, int[] labels, double? shrinkage = null)
    {
        var n = labels.Length;
        var classes = labels.Max() + 1;
        var means = new double[classes][];
        for (var c = 0; c < classes; c++)
        {
            var members = Enumerable.Range(0, n).Where(k => labels[k] == c).ToArray();
            means[c] = Enumerable.Range(0, d).Select(j => members.Average(k => (double)rows[k * d + j])).ToArray();
        }
        var x = new double[n][];
        for (var k = 0; k < n; k++)
            x[k] = Enumerable.Range(0, d).Select(j => rows[k * d + j] - means[labels[k]][j]).ToArray();
        var s = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
                s[i, j] = x.Sum(r => r[i] * r[j]) / n;

        var mu = Enumerable.Range(0, d).Sum(i => s[i, i]) / d;
        double distance = 0, error = 0;
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                var diff = s[i, j] - (i == j ? mu : 0);
                distance += diff * diff;
            }
        distance /= d;
        foreach (var r in x)
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                {
                    var diff = r[i] * r[j] - s[i, j];
                    error += diff * diff;
                }
        error /= (double)n * n * d;
        var intensity = shrinkage ?? Math.Min(error, distance) / distance;

        var sigma = new double[d, d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
                sigma[i, j] = (1 - intensity) * s[i, j] + (i == j ? intensity * mu : 0);
        return new NaiveMahalanobis(means, Invert(sigma, d), intensity);
    }

    public double Score(float[] row) => _means.Min(mean =>
    {
        var d = mean.Length;
        var q = 0.0;
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
                q += (row[i] - mean[i]) * _precision[i, j] * (row[j] - mean[j]);
        return q;
    });

    private static double[,] Invert(double[,] m, int d)
    {
        var a = (double[,])m.Clone();
        var inv = new double[d, d];
        for (var i = 0; i < d; i++)
            inv[i, i] = 1;
        for (var col = 0; col < d; col++)
        {
            var pivot = Enumerable.Range(col, d - col).MaxBy(r => Math.Abs(a[r, col]));
            for (var j = 0; j < d; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
                (inv[col, j], inv[pivot, j]) = (inv[pivot, j], inv[col, j]);
            }
            var p = a[col, col];
            for (var j = 0; j < d; j++)
            {
                a[col, j] /= p;
                inv[col, j] /= p;
            }
            for (var r = 0; r < d; r++)
            {
                if (r == col)
                    continue;
                var f = a[r, col];
                for (var j = 0; j < d; j++)
                {
                    a[r, j] -= f * a[col, j];
                    inv[r, j] -= f * inv[col, j];
                }
            }
        }
        return inv;
    }
}
