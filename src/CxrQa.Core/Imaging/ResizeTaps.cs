namespace CxrQa.Core.Imaging;

/// <summary>For one axis, which source samples each destination sample reads and with what weight. Built once per
/// resize so the pixel loops do no arithmetic on coordinates.</summary>
internal sealed class ResizeTaps
{
    private ResizeTaps(int[] start, int[] index, float[] weight)
    {
        Start = start;
        Index = index;
        Weight = weight;
    }

    /// <summary>Taps of destination i are Index/Weight[Start[i] .. Start[i+1]).</summary>
    public int[] Start { get; }
    public int[] Index { get; }
    public float[] Weight { get; }

    /// <summary>Area weights: each destination sample is the average of the source interval it covers, each source
    /// sample weighted by its fractional coverage (OpenCV INTER_AREA). When enlarging this degenerates to linear
    /// interpolation between the (at most two) source samples under the destination sample, which is what OpenCV's
    /// INTER_AREA does for upscaling too.</summary>
    public static ResizeTaps Area(int sourceSize, int destinationSize)
    {
        var starts = new int[destinationSize + 1];
        var indices = new List<int>(sourceSize + 2 * destinationSize);
        var weights = new List<float>(sourceSize + 2 * destinationSize);
        var scale = (double)sourceSize / destinationSize;
        for (var d = 0; d < destinationSize; d++)
        {
            starts[d] = indices.Count;
            if (scale >= 1)
                AddShrinkTaps(d, scale, sourceSize, indices, weights);
            else
                AddEnlargeTaps(d, scale, sourceSize, indices, weights);
        }
        starts[destinationSize] = indices.Count;
        return new ResizeTaps(starts, [.. indices], [.. weights]);
    }

    private static void AddShrinkTaps(int d, double scale, int sourceSize, List<int> indices, List<float> weights)
    {
        var from = d * scale;
        var to = from + scale;
        // The last cell may stick out of the source by rounding; normalise by what is actually inside.
        var cell = Math.Min(scale, sourceSize - from);
        var firstWhole = (int)Math.Ceiling(from);
        var endWhole = Math.Min((int)Math.Floor(to), sourceSize - 1);
        firstWhole = Math.Min(firstWhole, endWhole);
        // Slivers thinner than 1/1000 of a pixel are rounding noise of the scale, not coverage (OpenCV drops them too).
        const double sliver = 1e-3;
        if (firstWhole - from > sliver)
            Add(firstWhole - 1, (firstWhole - from) / cell, indices, weights);
        for (var s = firstWhole; s < endWhole; s++)
            Add(s, 1 / cell, indices, weights);
        if (to - endWhole > sliver)
            Add(endWhole, Math.Min(Math.Min(to - endWhole, 1), cell) / cell, indices, weights);
    }

    private static void AddEnlargeTaps(int d, double scale, int sourceSize, List<int> indices, List<float> weights)
    {
        var s = (int)Math.Floor(d * scale);
        // Part of the destination sample [d, d+1) (in destination units) that lies beyond source sample s.
        var beyond = (d + 1) - (s + 1) / scale;
        var next = beyond <= 0 ? 0 : beyond - Math.Floor(beyond);
        if (s >= sourceSize - 1)
        {
            s = sourceSize - 1;
            next = 0;
        }
        Add(s, 1 - next, indices, weights);
        if (next > 0)
            Add(s + 1, next, indices, weights);
    }

    private static void Add(int index, double weight, List<int> indices, List<float> weights)
    {
        indices.Add(index);
        weights.Add((float)weight);
    }
}
