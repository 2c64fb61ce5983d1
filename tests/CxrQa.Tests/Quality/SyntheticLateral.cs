using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Quality;

/// <summary>A cartoon of a lateral chest film: one lung field, the spine as a bright band near the back (right),
/// the sternum as a thin line near the front (left), the heart shadow antero-inferior. Not a real lateral: the
/// project has none; it only checks that the symmetry heuristic reacts to this kind of asymmetry.</summary>
internal static class SyntheticLateral
{
    public static GrayImage Make(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            double u = (x + 0.5) / width, v = (y + 0.5) / height;
            var level = 25.0;
            if (Square((u - 0.52) / 0.40) + Square((v - 0.55) / 0.50) < 1) level = 120; // body
            if (Square((u - 0.55) / 0.25) + Square((v - 0.45) / 0.30) < 1) level = 55; // lung field
            if (Square((u - 0.38) / 0.14) + Square((v - 0.62) / 0.16) < 1) level = 135; // heart
            if (u is > 0.74 and < 0.84 && v > 0.15) level = 200 + 20 * Math.Sin(v * 60); // spine, vertebrae
            if (u is > 0.16 and < 0.19 && v is > 0.25 and < 0.75) level = 180; // sternum
            pixels[y * width + x] = (byte)Math.Clamp(Math.Round(level + 6 * (random.NextDouble() - 0.5)), 0, 255);
        }
        return new GrayImage(width, height, pixels);
    }

    private static double Square(double v) => v * v;
}
