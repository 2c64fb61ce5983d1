namespace CxrQa.Core.Imaging;

/// <summary>The one preprocessing recipe shared by training and serving: squash-resize to the network size with an
/// area filter, CLAHE, then three identical planes of float levels.</summary>
public sealed class FilmPreprocessor(PreprocessingOptions options)
{
    public PreprocessingOptions Options { get; } = options;

    private int PlaneLength => Options.InputSize * Options.InputSize;

    /// <summary>Squash-resize to InputSize x InputSize with an area (box) filter, then CLAHE.</summary>
    public GrayImage Enhance(GrayImage film) => EnhanceResized(Resize(film));

    /// <summary>The first half of <see cref="Enhance"/>: squash-resize to InputSize x InputSize (area filter).</summary>
    public GrayImage Resize(GrayImage film) => AreaResize.Resize(film, Options.InputSize, Options.InputSize);

    /// <summary>The second half of <see cref="Enhance"/>: CLAHE (when configured) of an already resized film.</summary>
    public GrayImage EnhanceResized(GrayImage resized) => Options.Clahe
        ? Clahe.Apply(resized, Options.ClaheClipLimit, Options.ClaheTiles, Options.ClaheTiles)
        : resized;

    /// <summary>Writes 3 identical planes of float 0..255 (CHW) for an enhanced InputSize^2 image into
    /// <paramref name="destination"/> (length 3*InputSize^2). The backbone's mean image is subtracted inside the graph.</summary>
    public void WriteModelInput(GrayImage enhanced, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(enhanced);
        if (enhanced.Width != Options.InputSize || enhanced.Height != Options.InputSize)
            throw new ArgumentException(
                $"expected a {Options.InputSize}x{Options.InputSize} image, got {enhanced.Width}x{enhanced.Height}", nameof(enhanced));
        if (destination.Length != 3 * PlaneLength)
            throw new ArgumentException($"expected {3 * PlaneLength} floats, got {destination.Length}", nameof(destination));

        var first = destination[..PlaneLength];
        var pixels = enhanced.Pixels;
        for (var i = 0; i < pixels.Length; i++)
            first[i] = pixels[i];
        first.CopyTo(destination.Slice(PlaneLength, PlaneLength));
        first.CopyTo(destination.Slice(2 * PlaneLength, PlaneLength));
    }

    /// <summary>Enhance then WriteModelInput into a new array of 3*InputSize^2 floats.</summary>
    public float[] Preprocess(GrayImage film)
    {
        var input = new float[3 * PlaneLength];
        WriteModelInput(Enhance(film), input);
        return input;
    }
}
