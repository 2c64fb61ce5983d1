namespace CxrQa.Core.Imaging;

/// <summary>Turns decoded RGBA pixels into the 8-bit gray film the model sees, measuring how colourful the source
/// was on the way (a photograph scores high; the quality gate uses it to refuse non-films).</summary>
public static class GrayConversion
{
    /// <summary>Converts unpremultiplied RGBA (4 bytes a pixel) to BT.601 luma, rounded to the nearest level.
    /// Transparent pixels are composited over black: on a film black is air and the background outside the
    /// patient, so a transparent margin reads as "nothing here" instead of bright white that would look like bone
    /// or collimator shutter. Colourfulness is the mean of max(R,G,B)-min(R,G,B) after compositing, in 0..255.</summary>
    public static (byte[] Gray, double Colourfulness) FromRgba(ReadOnlySpan<byte> rgba, int pixelCount)
    {
        if (rgba.Length != (long)pixelCount * 4)
            throw new ArgumentException($"expected {pixelCount * 4L} bytes of RGBA, got {rgba.Length}", nameof(rgba));
        var gray = new byte[pixelCount];
        long chromaSum = 0;
        for (int i = 0, p = 0; i < pixelCount; i++, p += 4)
        {
            int a = rgba[p + 3];
            int r = rgba[p], g = rgba[p + 1], b = rgba[p + 2];
            if (a != 255)
            {
                r = OverBlack(r, a);
                g = OverBlack(g, a);
                b = OverBlack(b, a);
            }
            gray[i] = Luma(r, g, b);
            chromaSum += Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b));
        }
        return (gray, pixelCount == 0 ? 0 : (double)chromaSum / pixelCount);
    }

    /// <summary>BT.601 luma with integer weights summing to 1000, so a gray pixel (R=G=B) maps to itself exactly.</summary>
    public static byte Luma(int r, int g, int b) => (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);

    /// <summary>One level composited over black, rounded to nearest: the rule every transparent source follows.</summary>
    internal static int OverBlack(int colour, int alpha) => (colour * alpha + 127) / 255;
}
