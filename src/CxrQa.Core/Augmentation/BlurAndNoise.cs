namespace CxrQa.Core.Augmentation;

/// <summary>Sharpness and noise jitter: separable Gaussian blur (edges replicated) and additive Gaussian noise.</summary>
public static class BlurAndNoise
{
    public static void GaussianBlurInPlace(Span<byte> pixels, int width, int height, double sigma)
    {
        if (pixels.Length != width * height)
            throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));
        if (sigma <= 0) return;
        var kernel = Kernel(sigma);
        var radius = kernel.Length / 2;
        var temp = new float[pixels.Length];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var sum = 0.0f;
                for (var k = -radius; k <= radius; k++)
                    sum += kernel[k + radius] * pixels[y * width + Math.Clamp(x + k, 0, width - 1)];
                temp[y * width + x] = sum;
            }
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var sum = 0.0f;
                for (var k = -radius; k <= radius; k++)
                    sum += kernel[k + radius] * temp[Math.Clamp(y + k, 0, height - 1) * width + x];
                pixels[y * width + x] = (byte)Math.Clamp(MathF.Round(sum), 0, 255);
            }
    }

    /// <summary>Adds N(0, sigma^2) gray levels to every pixel, clamped to 0..255.</summary>
    public static void GaussianNoiseInPlace(Span<byte> pixels, double sigma, Random random)
    {
        if (sigma <= 0) return;
        for (var i = 0; i < pixels.Length; i++)
        {
            // Box-Muller: one normal draw per pixel from two uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            pixels[i] = (byte)Math.Clamp(Math.Round(pixels[i] + sigma * normal), 0, 255);
        }
    }

    private static float[] Kernel(double sigma)
    {
        var radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var kernel = new float[2 * radius + 1];
        var sum = 0.0;
        for (var k = -radius; k <= radius; k++)
            sum += kernel[k + radius] = (float)Math.Exp(-k * k / (2 * sigma * sigma));
        for (var k = 0; k < kernel.Length; k++)
            kernel[k] = (float)(kernel[k] / sum);
        return kernel;
    }
}
