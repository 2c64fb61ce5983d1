namespace CxrQa.Core.Numerics;

/// <summary>Cholesky factorisation and triangular solves on a packed lower-triangular factor.</summary>
/// <remarks>Packed row-major: row i holds L[i, 0..i] starting at i (i + 1) / 2, so a d x d factor takes d (d + 1) / 2 values.</remarks>
public static class Cholesky
{
    public static int PackedLength(int d) => checked(d * (d + 1) / 2);

    public static int RowStart(int i) => i * (i + 1) / 2;

    /// <summary>L with L L^T = A, A symmetric positive definite (d x d row-major; only the lower triangle is read).</summary>
    public static double[] Factor(ReadOnlySpan<double> a, int d) =>
        TryFactor(a, d, out var pivot) ?? throw new ArgumentException($"matrix is not positive definite (pivot {pivot})", nameof(a));

    /// <summary>As <see cref="Factor"/>, but null when A is not numerically positive definite (<paramref name="failedPivot"/> says where).</summary>
    public static double[]? TryFactor(ReadOnlySpan<double> a, int d, out int failedPivot)
    {
        if (a.Length != d * d)
            throw new ArgumentException($"matrix has {a.Length} entries, expected {d} x {d}", nameof(a));
        failedPivot = -1;
        var l = new double[PackedLength(d)];
        for (var i = 0; i < d; i++)
        {
            var rowI = l.AsSpan(RowStart(i), i + 1);
            for (var j = 0; j <= i; j++)
            {
                var rowJ = l.AsSpan(RowStart(j), j + 1);
                var sum = a[i * d + j];
                for (var k = 0; k < j; k++)
                    sum -= rowI[k] * rowJ[k];
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        failedPivot = i;
                        return null;
                    }
                    rowI[i] = Math.Sqrt(sum);
                }
                else
                {
                    rowI[j] = sum / rowJ[j];
                }
            }
        }
        return l;
    }

    /// <summary>||L^{-1} r||^2 by forward substitution: the squared Mahalanobis norm of r under L L^T. Uses <paramref name="work"/> (length d).</summary>
    public static double SquaredNormOfSolve(ReadOnlySpan<float> packedFactor, ReadOnlySpan<double> r, Span<double> work)
    {
        var d = r.Length;
        var total = 0.0;
        for (var i = 0; i < d; i++)
        {
            var row = packedFactor.Slice(RowStart(i), i + 1);
            var y = (r[i] - WidenedDot.Of(row[..i], work)) / row[i];
            work[i] = y;
            total += y * y;
        }
        return total;
    }

    /// <summary>Solves A x = b for a symmetric positive-definite A (d x d row-major); false when A is not numerically positive definite.</summary>
    public static bool TrySolve(ReadOnlySpan<double> a, int d, ReadOnlySpan<double> b, Span<double> x)
    {
        if (b.Length != d || x.Length != d) throw new ArgumentException("dimension mismatch");
        if (TryFactor(a, d, out _) is not { } l) return false;
        // L y = b, then L^T x = y.
        for (var i = 0; i < d; i++)
        {
            var row = l.AsSpan(RowStart(i), i + 1);
            var sum = b[i];
            for (var k = 0; k < i; k++) sum -= row[k] * x[k];
            x[i] = sum / row[i];
        }
        for (var i = d - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < d; k++) sum -= l[RowStart(k) + i] * x[k];
            x[i] = sum / l[RowStart(i) + i];
        }
        return true;
    }
}
