namespace CxrQa.Core.Learning;

/// <summary>Solves A x = b for a symmetric positive-definite A (row-major, only the lower triangle is read).</summary>
public static class Cholesky
{
    /// <returns>False when A is not numerically positive definite.</returns>
    public static bool TrySolve(double[] a, int n, ReadOnlySpan<double> b, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Length != n * n || b.Length != n || x.Length != n) throw new ArgumentException("dimension mismatch");
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            var li = l.AsSpan(i * n, n);
            for (var j = 0; j <= i; j++)
            {
                var lj = l.AsSpan(j * n, j);
                var sum = a[i * n + j] - Dot(li[..j], lj);
                if (i == j)
                {
                    if (!(sum > 0)) return false;
                    li[i] = Math.Sqrt(sum);
                }
                else
                {
                    li[j] = sum / l[j * n + j];
                }
            }
        }
        // L y = b, then L^T x = y.
        for (var i = 0; i < n; i++)
            x[i] = (b[i] - Dot(l.AsSpan(i * n, i), x[..i])) / l[i * n + i];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
            x[i] = sum / l[i * n + i];
        }
        return true;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => VectorMath.Dot(a, b);
}
