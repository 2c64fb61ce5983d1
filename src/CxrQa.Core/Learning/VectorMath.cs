using System.Numerics;
using System.Runtime.InteropServices;

namespace CxrQa.Core.Learning;

/// <summary>The two SIMD kernels the Newton solver spends its time in.</summary>
internal static class VectorMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        var acc = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a[..n]);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            for (var k = 0; k < va.Length; k++) acc += va[k] * vb[k];
            i = va.Length * Vector<double>.Count;
        }
        var sum = Vector.Sum(acc);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += alpha * x.</summary>
    public static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        var n = y.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..n]);
            var va = new Vector<double>(alpha);
            for (var k = 0; k < vy.Length; k++) vy[k] += va * vx[k];
            i = vy.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>z = x .* y.</summary>
    public static void Multiply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        for (var i = 0; i < z.Length; i++) z[i] = x[i] * y[i];
    }
}
