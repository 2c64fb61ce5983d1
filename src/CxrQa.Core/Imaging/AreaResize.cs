using System.Numerics;

namespace CxrQa.Core.Imaging;

/// <summary>Squash-resizes a gray film with an area (box) filter, the equivalent of OpenCV's INTER_AREA: exact
/// fractional-coverage averaging when shrinking, linear interpolation when enlarging.</summary>
public static class AreaResize
{
    /// <summary>Returns <paramref name="source"/> itself when the size already matches. Otherwise resizes the two
    /// axes separably: rows are blended first (whole-row vector arithmetic over the wide source), columns second
    /// (on the few destination rows), and each pixel is rounded once, to the nearest level, at the end.</summary>
    public static GrayImage Resize(GrayImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (source.Width == width && source.Height == height)
            return source;

        var rows = ResizeTaps.Area(source.Height, height);
        var columns = ResizeTaps.Area(source.Width, width);
        var srcWidth = source.Width;
        var pixels = source.Pixels;
        var blendedRow = new float[srcWidth];
        var output = new byte[width * height];

        for (var y = 0; y < height; y++)
        {
            Array.Clear(blendedRow);
            for (var t = rows.Start[y]; t < rows.Start[y + 1]; t++)
                AddScaledRow(pixels.AsSpan(rows.Index[t] * srcWidth, srcWidth), rows.Weight[t], blendedRow);

            var outRow = output.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                for (var t = columns.Start[x]; t < columns.Start[x + 1]; t++)
                    sum += columns.Weight[t] * blendedRow[columns.Index[t]];
                outRow[x] = RoundToLevel(sum);
            }
        }
        return new GrayImage(width, height, output);
    }

    private static byte RoundToLevel(float value)
    {
        var rounded = (int)MathF.Round(value);
        return (byte)Math.Clamp(rounded, 0, 255);
    }

    /// <summary>accumulator[i] += weight * row[i], vectorised: this loop touches every source pixel and dominates
    /// the cost of shrinking a full-resolution film.</summary>
    private static void AddScaledRow(ReadOnlySpan<byte> row, float weight, Span<float> accumulator)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<byte>.Count)
        {
            var w = new Vector<float>(weight);
            var lanes = Vector<float>.Count;
            for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(row[i..]), out var low, out var high);
                Vector.Widen(low, out var q0, out var q1);
                Vector.Widen(high, out var q2, out var q3);
                var a = accumulator[i..];
                Accumulate(a, Vector.ConvertToSingle(q0), w);
                Accumulate(a[lanes..], Vector.ConvertToSingle(q1), w);
                Accumulate(a[(2 * lanes)..], Vector.ConvertToSingle(q2), w);
                Accumulate(a[(3 * lanes)..], Vector.ConvertToSingle(q3), w);
            }
        }
        for (; i < row.Length; i++)
            accumulator[i] += weight * row[i];
    }

    private static void Accumulate(Span<float> destination, Vector<float> values, Vector<float> weight)
    {
        var sum = new Vector<float>(destination) + values * weight;
        sum.CopyTo(destination);
    }
}
