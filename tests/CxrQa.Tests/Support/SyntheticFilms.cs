using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Support;

/// <summary>An 8-bit RGB test image, interleaved R,G,B, row-major.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Rgb);

/// <summary>Deterministic test images: the same arguments always give the same pixels (seeded, no shared state).
/// Encode them with <see cref="TestImageEncoder"/>.</summary>
public static class SyntheticFilms
{
    /// <summary>A chest-film-like image: dark lung fields with rib stripes inside a mid-gray body, a bright
    /// mediastinum down the middle, an exposure gradient and Gaussian noise (sigma 6 levels).</summary>
    public static GrayImage Chest(int width, int height, int seed = 1)
    {
        var noise = new GaussianNoise(seed);
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            double u = (x + 0.5) / width, v = (y + 0.5) / height;
            var level = 40 + 60 * v + 25 * Math.Sin(3.1 * u);
            if (Square((u - 0.5) / 0.46) + Square((v - 0.55) / 0.52) < 1) level += 70;
            foreach (var cx in (ReadOnlySpan<double>)[0.3, 0.7])
            {
                if (Square((u - cx) / 0.15) + Square((v - 0.48) / 0.3) < 1)
                    level = 45 + 30 * v + (Math.Sin(v * 2 * Math.PI * 9 + 6 * Square(u - cx)) > 0.6 ? 18 : 0);
            }
            level += 90 * Math.Exp(-Square((u - 0.5) / 0.07));
            pixels[y * width + x] = ToLevel(level + 6 * noise.Next());
        }
        return new GrayImage(width, height, pixels);
    }

    /// <summary>Every pixel at <paramref name="level"/>.</summary>
    public static GrayImage Blank(int width, int height, byte level = 0)
    {
        var pixels = new byte[width * height];
        Array.Fill(pixels, level);
        return new GrayImage(width, height, pixels);
    }

    /// <summary>Independent uniform levels 0..255.</summary>
    public static GrayImage Noise(int width, int height, int seed = 1)
    {
        var pixels = new byte[width * height];
        new Random(seed).NextBytes(pixels);
        return new GrayImage(width, height, pixels);
    }

    /// <summary>Horizontal ramp: 0 in the first column to 255 in the last, constant down each column.</summary>
    public static GrayImage Gradient(int width, int height)
    {
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            pixels[y * width + x] = width == 1 ? (byte)0 : ToLevel(255.0 * x / (width - 1));
        return new GrayImage(width, height, pixels);
    }

    /// <summary>A saturated, photo-like colour picture (hue varying across, brightness down, some noise): what a
    /// phone snapshot of something that is not a film looks like to the colourfulness measure.</summary>
    public static RgbImage ColourPhoto(int width, int height, int seed = 1)
    {
        var noise = new GaussianNoise(seed);
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var hue = 6.0 * x / width;
            var value = 90 + 150.0 * y / height;
            var i = (y * width + x) * 3;
            rgb[i] = ToLevel(value * Channel(hue, 0) + 4 * noise.Next());
            rgb[i + 1] = ToLevel(value * Channel(hue, 2) + 4 * noise.Next());
            rgb[i + 2] = ToLevel(value * Channel(hue, 4) + 4 * noise.Next());
        }
        return new RgbImage(width, height, rgb);
    }

    /// <summary>The gray image as RGB with R = G = B (what a "3-channel JPEG of a gray film" holds).</summary>
    public static RgbImage ToRgb(GrayImage image)
    {
        var rgb = new byte[image.Pixels.Length * 3];
        for (var i = 0; i < image.Pixels.Length; i++)
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = image.Pixels[i];
        return new RgbImage(image.Width, image.Height, rgb);
    }

    /// <summary>Fully saturated hue wheel: 1 near <paramref name="centre"/> (of 6 sextants), 0 opposite.</summary>
    private static double Channel(double hue, double centre)
    {
        var d = Math.Abs(hue - centre);
        d = Math.Min(d, 6 - d);
        return Math.Clamp(2 - d, 0, 1);
    }

    private static double Square(double v) => v * v;

    private static byte ToLevel(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    /// <summary>Standard normal samples (Box-Muller) from a seeded generator.</summary>
    private sealed class GaussianNoise(int seed)
    {
        private readonly Random _random = new(seed);

        public double Next()
        {
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
