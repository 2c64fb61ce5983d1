namespace CxrQa.Core.Explain;

/// <summary>
/// The pixel sets a deletion test blanks: the most salient pixels of a map, or the same number of pixels in random
/// square blocks. Masks are row-major, one flag per pixel of one plane.
/// </summary>
public static class DeletionMasks
{
    /// <summary>How many of <paramref name="pixels"/> a fraction deletes (rounded), so both masks get the same area.</summary>
    public static int PixelCount(double fraction, int pixels)
    {
        if (!(fraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must be in [0, 1]");
        return (int)Math.Round(fraction * pixels, MidpointRounding.AwayFromZero);
    }

    /// <summary>The <paramref name="count"/> pixels with the highest map values.</summary>
    /// <remarks>An upsampled Grad-CAM map is flat (zero) wherever no cell had positive evidence; which of those tied
    /// pixels fill the remainder must not be the top rows, so ties are broken in a seeded random order.</remarks>
    public static bool[] MostSalient(ReadOnlySpan<float> map, int count, int tieSeed)
    {
        if (count < 0 || count > map.Length) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {map.Length}]");
        var random = new Random(tieSeed);
        var order = new int[map.Length];
        var tieKeys = new int[map.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            tieKeys[i] = random.Next();
        }
        var values = map.ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byValue = values[b].CompareTo(values[a]);
            return byValue != 0 ? byValue : tieKeys[a].CompareTo(tieKeys[b]);
        });
        var mask = new bool[map.Length];
        for (var i = 0; i < count; i++) mask[order[i]] = true;
        return mask;
    }

    /// <summary>
    /// Exactly <paramref name="count"/> pixels covered by random <paramref name="blockSide"/>-square blocks: blocks
    /// are dropped until the area is reached (overlaps count once) and the last block is cut short in raster order.
    /// </summary>
    /// <remarks>Top-left corners range over [-(side - 1), size - 1] and blocks are clipped, so every pixel, edge or
    /// centre, is equally likely to be covered: a corner range of [0, size - side] would spare the border.</remarks>
    public static bool[] RandomBlocks(int width, int height, int count, int blockSide, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSide, 1);
        ArgumentNullException.ThrowIfNull(random);
        if (count < 0 || count > width * height) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {width * height}]");
        var mask = new bool[width * height];
        var covered = 0;
        while (covered < count)
        {
            var left = random.Next(-(blockSide - 1), width);
            var top = random.Next(-(blockSide - 1), height);
            for (var y = Math.Max(0, top); y < Math.Min(height, top + blockSide) && covered < count; y++)
                for (var x = Math.Max(0, left); x < Math.Min(width, left + blockSide) && covered < count; x++)
                {
                    ref var cell = ref mask[y * width + x];
                    if (cell) continue;
                    cell = true;
                    covered++;
                }
        }
        return mask;
    }

    /// <summary>A copy of a planar image (planes x mask.Length values) with the masked pixels of every plane set to
    /// <paramref name="fill"/>.</summary>
    public static float[] Blank(ReadOnlySpan<float> planes, ReadOnlySpan<bool> mask, float fill)
    {
        if (mask.Length == 0 || planes.Length % mask.Length != 0)
            throw new ArgumentException($"{planes.Length} values are not whole planes of {mask.Length} pixels", nameof(mask));
        var result = planes.ToArray();
        for (var start = 0; start < result.Length; start += mask.Length)
            for (var i = 0; i < mask.Length; i++)
                if (mask[i]) result[start + i] = fill;
        return result;
    }

    /// <summary>Mean of the first plane: the fill that keeps the film's overall brightness.</summary>
    public static float PlaneMean(ReadOnlySpan<float> planes, int planeLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(planeLength, 1);
        if (planes.Length < planeLength) throw new ArgumentException($"fewer than {planeLength} values", nameof(planes));
        var sum = 0.0;
        foreach (var v in planes[..planeLength]) sum += v;
        return (float)(sum / planeLength);
    }
}
