namespace CxrQa.Core.Imaging;

/// <summary>How a film is decoded: the allocation guards, and optionally the size the caller is about to shrink the
/// film to. Without <see cref="ShrinkTarget"/> every film is decoded at its stored size (what overlays, previews,
/// training and calibration use).</summary>
public sealed record DecodeOptions
{
    public DecodeLimits Limits { get; init; } = DecodeLimits.Default;

    /// <summary>When set, a JPEG may be decoded at 1/2, 1/4 or 1/8 of its size (libjpeg-turbo's DCT scaling, through
    /// Skia's scaled decode): the largest reduction whose result still has at least
    /// <see cref="DecodeTarget.Oversampling"/> times the target on each side, so the area resize that follows still
    /// averages. PNG and DICOM ignore it. The film's metadata always reports the stored (header) size.</summary>
    public DecodeTarget? ShrinkTarget { get; init; }

    /// <summary>Full-size decoding under <paramref name="limits"/>.</summary>
    public static DecodeOptions FullSize(DecodeLimits limits) => new() { Limits = limits };
}

/// <summary>The size a decoded film will be resized to, and how much larger than that a reduced decode must stay.</summary>
/// <param name="Width">Width the caller resizes to (the network input).</param>
/// <param name="Height">Height the caller resizes to.</param>
/// <param name="Oversampling">The reduced image keeps at least this many times the target on each side.</param>
public sealed record DecodeTarget(int Width, int Height, int Oversampling = 2)
{
    public int Width { get; } = Width >= 1 ? Width : throw new ArgumentOutOfRangeException(nameof(Width));
    public int Height { get; } = Height >= 1 ? Height : throw new ArgumentOutOfRangeException(nameof(Height));
    public int Oversampling { get; } = Oversampling >= 1 ? Oversampling : throw new ArgumentOutOfRangeException(nameof(Oversampling));

    /// <summary>The reductions tried, largest first: the scales libjpeg-turbo decodes exactly as a box-like low-pass
    /// (1/8 keeps only each 8x8 block's DC term, i.e. its mean).</summary>
    public static IReadOnlyList<int> Denominators { get; } = [8, 4, 2];

    /// <summary>Whether a decoded <paramref name="width"/> x <paramref name="height"/> image is still large enough.</summary>
    public bool Allows(int width, int height) => width >= (long)Width * Oversampling && height >= (long)Height * Oversampling;
}
