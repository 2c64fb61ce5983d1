namespace CxrQa.Core.Imaging;

/// <summary>What a JPEG or PNG header says about the pixels, read before anything is decoded so that the
/// allocation guards can run on the declared size.</summary>
/// <param name="Width">Declared width in pixels.</param>
/// <param name="Height">Declared height in pixels.</param>
/// <param name="BitsStored">Bits per sample (PNG bit depth, 8 for palette images; JPEG precision).</param>
/// <param name="Channels">Samples per pixel in the source (palette PNGs count as 3, or 4 with transparency).</param>
internal readonly record struct FilmHeader(int Width, int Height, int BitsStored, int Channels)
{
    public long PixelCount => (long)Width * Height;
}
