namespace CxrQa.Core.Imaging;

/// <summary>STUB — to be replaced: resize to the network size, CLAHE, and write the network input planes.</summary>
public sealed class FilmPreprocessor(PreprocessingOptions options)
{
    public PreprocessingOptions Options { get; } = options;

    /// <summary>Squash-resize to InputSize x InputSize with an area (box) filter, then CLAHE.</summary>
    public GrayImage Enhance(GrayImage film) => throw new NotImplementedException();

    /// <summary>Writes 3 identical planes of float 0..255 (CHW) for an enhanced InputSize^2 image into
    /// <paramref name="destination"/> (length 3*InputSize^2). The backbone's mean image is subtracted inside the graph.</summary>
    public void WriteModelInput(GrayImage enhanced, Span<float> destination) => throw new NotImplementedException();
}
