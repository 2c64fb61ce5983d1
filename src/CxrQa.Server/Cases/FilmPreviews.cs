using System.Runtime.InteropServices;
using CxrQa.Core.Imaging;
using SkiaSharp;

namespace CxrQa.Server.Cases;

/// <summary>
/// Browser-friendly pictures of a stored film: decoded with Core's own decoder (so DICOM, which browsers cannot show,
/// works like JPEG and PNG), shrunk with the area filter to a long side, written as an 8-bit grey PNG. Rendered on
/// request, not cached on disk: a film never changes, so clients may cache the answer.
/// </summary>
public sealed class FilmPreviews(FilmDecoder decoder, DecodeLimits limits)
{
    public const int DisplayLongSide = 1024;
    public const int ThumbnailLongSide = 160;

    public byte[] RenderPng(ReadOnlyMemory<byte> film, int longSide)
    {
        // The preview fits in longSide x longSide, so a large JPEG may decode DCT-scaled (a queue page asks for dozens
        // of thumbnails); the shared rule keeps at least twice that on each side for the area resize below.
        var image = decoder.Decode(film, new DecodeOptions { Limits = limits, ShrinkTarget = new DecodeTarget(longSide, longSide) }).Image;
        var scale = Math.Min(1.0, (double)longSide / Math.Max(image.Width, image.Height));
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));
        var small = AreaResize.Resize(image, width, height);

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var target = bitmap.GetPixels();
        for (var y = 0; y < height; y++)
            Marshal.Copy(small.Pixels, y * width, target + y * bitmap.RowBytes, width);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("PNG encoding failed");
        return data.ToArray();
    }
}
