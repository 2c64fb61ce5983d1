using System.Numerics;

namespace CxrQa.Core.Numerics;

/// <summary>Dot product of single-precision weights with double-precision values, accumulated in double: the inner loop
/// of the Mahalanobis solve the OOD gate runs on every film (2 % of the server's CPU in `perf` while it was scalar;
/// docs/benchmarks.md). Feature-shift depths that use Mahalanobis share it.</summary>
public static class WidenedDot
{
    public static double Of(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        if (b.Length < a.Length)
            throw new ArgumentException($"b has {b.Length} values, a has {a.Length}", nameof(b));
        var sum = 0.0;
        var k = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var low = Vector<double>.Zero;
            var high = Vector<double>.Zero;
            var step = Vector<float>.Count;
            var half = Vector<double>.Count;
            for (; k <= a.Length - step; k += step)
            {
                Vector.Widen(new Vector<float>(a[k..]), out var lo, out var hi);
                low += lo * new Vector<double>(b[k..]);
                high += hi * new Vector<double>(b[(k + half)..]);
            }
            sum = Vector.Sum(low + high);
        }
        for (; k < a.Length; k++)
            sum += a[k] * b[k];
        return sum;
    }
}
