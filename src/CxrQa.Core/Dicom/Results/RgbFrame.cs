namespace CxrQa.Core.Dicom.Results;

/// <summary>An 8-bit RGB picture, row-major, samples interleaved (R, G, B per pixel): the pixels of a Secondary
/// Capture image with PlanarConfiguration 0.</summary>
/// <param name="Rgb">Width * Height * 3 bytes.</param>
public sealed record RgbFrame(int Width, int Height, byte[] Rgb)
{
    /// <summary>Throws ArgumentException when the sizes disagree.</summary>
    public void Validate() => throw new NotImplementedException();
}
