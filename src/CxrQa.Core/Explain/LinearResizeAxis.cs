namespace CxrQa.Core.Explain;

/// <summary>
/// Where each destination pixel along one axis samples a linearly interpolated source, computed once per axis so
/// the per-pixel work is two loads and a multiply-add. Pixel-centre alignment (align_corners = false), clamped at
/// the edges exactly as OpenCV's <c>resize(INTER_LINEAR)</c>: source coordinate <c>(d + 0.5) * in / out - 0.5</c>.
/// </summary>
internal sealed class LinearResizeAxis
{
    private LinearResizeAxis(int[] lower, int[] upper, float[] upperWeight)
    {
        Lower = lower;
        Upper = upper;
        UpperWeight = upperWeight;
    }

    /// <summary>The source index at or left of each destination sample.</summary>
    public int[] Lower { get; }

    /// <summary>The next source index (equal to <see cref="Lower"/> at the far edge).</summary>
    public int[] Upper { get; }

    /// <summary>The weight of <see cref="Upper"/>; <see cref="Lower"/> gets 1 minus it.</summary>
    public float[] UpperWeight { get; }

    public static LinearResizeAxis Create(int sourceSize, int destinationSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(destinationSize, 1);
        var lower = new int[destinationSize];
        var upper = new int[destinationSize];
        var weight = new float[destinationSize];
        var scale = (double)sourceSize / destinationSize;
        for (var d = 0; d < destinationSize; d++)
        {
            var s = (d + 0.5) * scale - 0.5;
            var i = (int)Math.Floor(s);
            var f = s - i;
            // Outside the outer source centres the value is the edge value (OpenCV's clamping), not an extrapolation.
            if (i < 0)
                (i, f) = (0, 0.0);
            if (i >= sourceSize - 1)
                (i, f) = (sourceSize - 1, 0.0);
            lower[d] = i;
            upper[d] = Math.Min(i + 1, sourceSize - 1);
            weight[d] = (float)f;
        }
        return new LinearResizeAxis(lower, upper, weight);
    }
}
