using SkiaSharp;

namespace CxrQa.Training.Tests.Support;

/// <summary>
/// A deliberately tiny test input maker (the real preprocessing lives in CxrQa.Core): decode, to gray, resize to
/// the model size, replicate to 3 planes as floats 0..255. Parity only needs the same floats on both sides.
/// </summary>
internal static class GrayFilmTensor
{
    public const int Size = 224;

    public static float[] FromFile(string path)
    {
        using var decoded = SKBitmap.Decode(path) ?? throw new InvalidDataException($"cannot decode {path}");
        using var gray = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(gray))
        using (var image = SKImage.FromBitmap(decoded))
            canvas.DrawImage(image, new SKRect(0, 0, Size, Size), new SKSamplingOptions(SKFilterMode.Linear));
        var pixels = gray.GetPixelSpan().ToArray();
        return Replicate(i => pixels[i]);
    }

    /// <summary>A smooth gradient with a bright disc: deterministic, and unlike any film.</summary>
    public static float[] Synthetic() => Replicate(i =>
    {
        int y = i / Size, x = i % Size;
        var disc = (x - 150) * (x - 150) + (y - 80) * (y - 80) < 40 * 40 ? 120f : 0f;
        return Math.Min(255f, x * 0.6f + y * 0.3f + disc);
    });

    private static float[] Replicate(Func<int, float> gray)
    {
        var planes = new float[3 * Size * Size];
        for (var i = 0; i < Size * Size; i++)
            planes[i] = planes[Size * Size + i] = planes[2 * Size * Size + i] = gray(i);
        return planes;
    }
}
