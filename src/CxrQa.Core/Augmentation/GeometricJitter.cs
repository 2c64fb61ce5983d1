namespace CxrQa.Core.Augmentation;

/// <summary>
/// Rotation, scale, translation and optional horizontal flip about the image centre, by inverse mapping with bilinear
/// sampling; samples outside the image take the nearest edge pixel (a film has no black frame to invent).
/// </summary>
public static class GeometricJitter
{
    /// <param name="translateX">Shift as a fraction of the width (positive: content moves right).</param>
    /// <param name="translateY">Shift as a fraction of the height (positive: content moves down).</param>
    public static byte[] Apply(ReadOnlySpan<byte> source, int width, int height,
        double rotationDegrees, double scale, double translateX, double translateY, bool flip)
    {
        if (source.Length != width * height)
            throw new ArgumentException($"expected {width * height} pixels, got {source.Length}", nameof(source));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var result = new byte[source.Length];
        if (rotationDegrees == 0 && scale == 1 && translateX == 0 && translateY == 0 && !flip)
        {
            source.CopyTo(result);
            return result;
        }

        var angle = rotationDegrees * Math.PI / 180;
        // Inverse of: p' = R(angle) * s * (p - c) + c + t.
        var cos = Math.Cos(angle) / scale;
        var sin = Math.Sin(angle) / scale;
        var cx = (width - 1) / 2.0;
        var cy = (height - 1) / 2.0;
        var tx = translateX * width;
        var ty = translateY * height;
        for (var y = 0; y < height; y++)
        {
            var dy = y - cy - ty;
            for (var x = 0; x < width; x++)
            {
                var dx = x - cx - tx;
                var sx = cos * dx + sin * dy + cx;
                var sy = -sin * dx + cos * dy + cy;
                if (flip) sx = width - 1 - sx;
                result[y * width + x] = Sample(source, width, height, sx, sy);
            }
        }
        return result;
    }

    /// <summary>Bilinear sample at (x, y), coordinates clamped to the image (edge pixels replicated).</summary>
    internal static byte Sample(ReadOnlySpan<byte> source, int width, int height, double x, double y)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        var x0 = (int)x;
        var y0 = (int)y;
        var x1 = Math.Min(x0 + 1, width - 1);
        var y1 = Math.Min(y0 + 1, height - 1);
        var fx = x - x0;
        var fy = y - y0;
        var top = source[y0 * width + x0] * (1 - fx) + source[y0 * width + x1] * fx;
        var bottom = source[y1 * width + x0] * (1 - fx) + source[y1 * width + x1] * fx;
        return (byte)Math.Clamp(Math.Round(top * (1 - fy) + bottom * fy), 0, 255);
    }
}
