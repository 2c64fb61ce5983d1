namespace CxrQa.Core.Dicom.Results;

/// <summary>An 8-bit RGB picture, row-major, samples interleaved (R, G, B per pixel): the pixels of a Secondary
/// Capture image with PlanarConfiguration 0.</summary>
/// <param name="Rgb">Width * Height * 3 bytes.</param>
public sealed record RgbFrame(int Width, int Height, byte[] Rgb)
{
    /// <summary>Throws ArgumentException when the sizes disagree or do not fit DICOM's 16-bit Rows and Columns.</summary>
    public void Validate()
    {
        if (Width is < 1 or > ushort.MaxValue || Height is < 1 or > ushort.MaxValue)
            throw new ArgumentException($"an RGB frame of {Width}x{Height} does not fit DICOM Rows/Columns (1..65535)");
        ArgumentNullException.ThrowIfNull(Rgb);
        if (Rgb.LongLength != 3L * Width * Height)
            throw new ArgumentException($"an RGB frame of {Width}x{Height} needs {3L * Width * Height} bytes, got {Rgb.LongLength}");
    }
}
