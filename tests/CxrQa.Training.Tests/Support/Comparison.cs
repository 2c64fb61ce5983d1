namespace CxrQa.Training.Tests.Support;

internal static class Comparison
{
    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
