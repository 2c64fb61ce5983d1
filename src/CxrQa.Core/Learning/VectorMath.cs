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

    /// <summary>Four dot products sharing <paramref name="a"/>: loads it once and keeps four independent
    /// accumulators in flight, which is what makes the Hessian's Z^T C Z affordable.</summary>
    public static void Dot4(ReadOnlySpan<double> a, ReadOnlySpan<double> b0, ReadOnlySpan<double> b1,
        ReadOnlySpan<double> b2, ReadOnlySpan<double> b3, Span<double> result)
    {
        var n = a.Length;
        var i = 0;
        Vector<double> s0 = Vector<double>.Zero, s1 = s0, s2 = s0, s3 = s0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(b0[..n]);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(b1[..n]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(b2[..n]);
            var v3 = MemoryMarshal.Cast<double, Vector<double>>(b3[..n]);
            for (var k = 0; k < va.Length; k++)
            {
                var x = va[k];
                s0 = Vector.FusedMultiplyAdd(x, v0[k], s0);
                s1 = Vector.FusedMultiplyAdd(x, v1[k], s1);
                s2 = Vector.FusedMultiplyAdd(x, v2[k], s2);
                s3 = Vector.FusedMultiplyAdd(x, v3[k], s3);
            }
            i = va.Length * Vector<double>.Count;
        }
        double r0 = Vector.Sum(s0), r1 = Vector.Sum(s1), r2 = Vector.Sum(s2), r3 = Vector.Sum(s3);
        for (; i < n; i++)
        {
            r0 += a[i] * b0[i];
            r1 += a[i] * b1[i];
            r2 += a[i] * b2[i];
            r3 += a[i] * b3[i];
        }
        result[0] += r0;
        result[1] += r1;
        result[2] += r2;
        result[3] += r3;
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
