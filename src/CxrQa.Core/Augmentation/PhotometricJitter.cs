namespace CxrQa.Core.Augmentation;

/// <summary>
/// Exposure and detector-response jitter as one 256-entry lookup table on the 0..1 scale:
/// v' = clamp((v^gamma - 0.5) * contrast + 0.5 + brightness, 0, 1).
/// </summary>
public static class PhotometricJitter
{
    public static byte[] Table(double brightness, double contrast, double gamma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gamma);
        var table = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            var v = Math.Pow(i / 255.0, gamma);
            v = (v - 0.5) * contrast + 0.5 + brightness;
            table[i] = (byte)Math.Clamp(Math.Round(v * 255), 0, 255);
        }
        return table;
    }

    public static void ApplyInPlace(Span<byte> pixels, double brightness, double contrast, double gamma)
    {
        if (brightness == 0 && contrast == 1 && gamma == 1) return;
        var table = Table(brightness, contrast, gamma);
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = table[pixels[i]];
    }
}
