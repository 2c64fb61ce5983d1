namespace CxrQa.Core.Dicom;

/// <summary>Converts interleaved 8-bit RGB to gray (Rec. 601 luma) and measures how colourful the source is, so a
/// photograph or an ultrasound with colour Doppler can be told apart from a radiograph stored as RGB.</summary>
internal static class ColourToGray
{
    /// <summary>Gray pixels and the mean chroma: per pixel max(R,G,B) - min(R,G,B), which equals
    /// (|R-G| + |G-B| + |B-R|) / 2, in 0..255. A gray film stored as RGB scores 0.</summary>
    public static (byte[] Gray, double Colourfulness) Convert(ReadOnlySpan<byte> rgb, int pixelCount)
    {
        var gray = new byte[pixelCount];
        long chromaSum = 0;
        for (var i = 0; i < pixelCount; i++)
        {
            int r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
            gray[i] = (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
            chromaSum += Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b));
        }

        return (gray, pixelCount == 0 ? 0 : (double)chromaSum / pixelCount);
    }

    /// <summary>Full-range YCbCr (DICOM YBR_FULL, JPEG's colour space) to RGB, in place.</summary>
    public static void YbrFullToRgbInPlace(Span<byte> ybr)
    {
        for (var i = 0; i + 2 < ybr.Length; i += 3)
        {
            double y = ybr[i], cb = ybr[i + 1] - 128.0, cr = ybr[i + 2] - 128.0;
            ybr[i] = ToByte(y + 1.402 * cr);
            ybr[i + 1] = ToByte(y - 0.344136 * cb - 0.714136 * cr);
            ybr[i + 2] = ToByte(y + 1.772 * cb);
        }
    }

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
