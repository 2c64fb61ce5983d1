namespace CxrQa.Core.Augmentation;

/// <summary>
/// A crop window in fractions of the film (0..1 on both axes), resampled back to the full frame: the film as it would
/// look with tighter collimation or a bigger patient (chest filling the frame, no neck, arms or abdomen).
/// <para>Why: the Kermany training normals are mostly small children on a wide field of view, so a network can learn
/// "wide framing means Normal". Training on crops that cover chest-filling framing takes that shortcut away; the same
/// windows, placed deterministically (<see cref="ThoraxFraming"/>), make the framing probe in <c>evaluate</c>.</para>
/// </summary>
public readonly record struct FramingCrop(double X, double Y, double Width, double Height)
{
    public static FramingCrop Full { get; } = new(0, 0, 1, 1);

    public bool IsFull => X == 0 && Y == 0 && Width == 1 && Height == 1;

    /// <summary>Area of the window as a fraction of the film.</summary>
    public double Area => Width * Height;

    /// <summary>The window resampled (bilinear, pixel centres aligned) to <paramref name="outWidth"/> x
    /// <paramref name="outHeight"/>. Apply it before CLAHE, as a tighter acquisition would be enhanced.</summary>
    public byte[] Apply(ReadOnlySpan<byte> source, int width, int height, int outWidth, int outHeight)
    {
        if (source.Length != width * height)
            throw new ArgumentException($"expected {width * height} pixels, got {source.Length}", nameof(source));
        if (!(Width > 0 && Height > 0 && X >= 0 && Y >= 0 && X + Width <= 1 + 1e-9 && Y + Height <= 1 + 1e-9))
            throw new ArgumentOutOfRangeException(nameof(source), this, "the crop window must lie inside the film");
        var result = new byte[outWidth * outHeight];
        if (IsFull && outWidth == width && outHeight == height)
        {
            source.CopyTo(result);
            return result;
        }
        // Output pixel centre (ox + 0.5) maps to source coordinate X*width + (ox + 0.5) * Width*width/outWidth - 0.5.
        var sx0 = X * width;
        var sy0 = Y * height;
        var stepX = Width * width / outWidth;
        var stepY = Height * height / outHeight;
        for (var oy = 0; oy < outHeight; oy++)
        {
            var sy = sy0 + (oy + 0.5) * stepY - 0.5;
            for (var ox = 0; ox < outWidth; ox++)
                result[oy * outWidth + ox] = GeometricJitter.Sample(source, width, height, sx0 + (ox + 0.5) * stepX - 0.5, sy);
        }
        return result;
    }

    /// <summary>
    /// A random window: area fraction uniform in [areaMin, 1], aspect (width/height) log-uniform in
    /// [1/aspectMax, aspectMax], centred near the thorax: horizontally within the middle half of the room left, and
    /// vertically around 45 % of the height (the thorax sits above the film's centre on a pediatric AP film), so a
    /// crop never keeps only the abdomen or one edge.
    /// </summary>
    public static FramingCrop Draw(Random random, double areaMin, double aspectMax)
    {
        ArgumentNullException.ThrowIfNull(random);
        var area = areaMin >= 1 ? 1 : areaMin + (1 - areaMin) * random.NextDouble();
        var logAspect = aspectMax <= 1 ? 0 : (2 * random.NextDouble() - 1) * Math.Log(aspectMax);
        var aspect = Math.Exp(logAspect);
        var w = Math.Min(1, Math.Sqrt(area * aspect));
        var h = Math.Min(1, Math.Sqrt(area / aspect));
        var cx = 0.5 + (random.NextDouble() - 0.5) * (1 - w) / 2;
        var cy = 0.45 + (random.NextDouble() - 0.5) * (1 - h) / 2;
        var x = Math.Clamp(cx - w / 2, 0, 1 - w);
        var y = Math.Clamp(cy - h / 2, 0, 1 - h);
        return new FramingCrop(x, y, w, h);
    }
}
