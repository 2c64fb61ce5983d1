using CxrQa.Tests.Support;
using SkiaSharp;

namespace CxrQa.Tests.Model;

/// <summary>Network inputs for the tests: 3 planes of 224 x 224 floats 0..255 (CHW).</summary>
public static class TestImages
{
    public const int Side = 224;
    public const int PlaneLength = Side * Side;
    public const int Length = 3 * PlaneLength;

    /// <summary>A deterministic colour image with structure at several scales, as RGB planes.</summary>
    public static float[] SyntheticRgb(int seed = 1)
    {
        var random = new Random(seed);
        var planes = new float[Length];
        for (var c = 0; c < 3; c++)
        for (var y = 0; y < Side; y++)
        for (var x = 0; x < Side; x++)
        {
            var v = 128 + 60 * Math.Sin((x + 17 * c) / (9.0 + 4 * c)) * Math.Cos(y / (13.0 - 3 * c)) + 30 * (random.NextDouble() - 0.5)
                    + (x > 80 && x < 150 && y > 60 && y < 170 ? 40 : 0);
            planes[c * PlaneLength + y * Side + x] = (float)Math.Clamp(v, 0, 255);
        }
        return planes;
    }

    /// <summary>RGB planes reordered to BGR (what our graph's input expects for a colour image).</summary>
    public static float[] RgbToBgr(float[] rgb)
    {
        var bgr = new float[Length];
        for (var c = 0; c < 3; c++)
            rgb.AsSpan((2 - c) * PlaneLength, PlaneLength).CopyTo(bgr.AsSpan(c * PlaneLength));
        return bgr;
    }

    /// <summary>A real 224 x 224 film from the shared data as gray replicated to 3 planes (0..255).</summary>
    public static float[] Film(string split, string label, int index)
    {
        var dir = TestData.Path("kermany-224", split, label);
        var path = Directory.GetFiles(dir, "*.jpeg").Order(StringComparer.Ordinal).ElementAt(index);
        // The kermany-224 JPEGs are 3-channel copies of gray films, already 224 x 224 (squashed).
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"cannot open {path}");
        Assert.Equal((Side, Side), (codec.Info.Width, codec.Info.Height));
        using var decoded = SKBitmap.Decode(codec) ?? throw new InvalidDataException($"cannot decode {path}");

        var planes = new float[Length];
        for (var y = 0; y < Side; y++)
        for (var x = 0; x < Side; x++)
        {
            var colour = decoded.GetPixel(x, y);
            // Rec. 601 luma, rounded to a byte as an 8-bit gray film would be.
            var v = MathF.Round(0.299f * colour.Red + 0.587f * colour.Green + 0.114f * colour.Blue);
            for (var c = 0; c < 3; c++) planes[c * PlaneLength + y * Side + x] = v;
        }
        return planes;
    }

    public static float[] Concat(params float[][] images) => images.SelectMany(i => i).ToArray();

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
