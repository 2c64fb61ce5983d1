using System.Runtime.InteropServices;
using SkiaSharp;

namespace CxrQa.Core.Imaging;

/// <summary>
/// A gray image encoded as a baseline JPEG and decoded again (libjpeg-turbo through Skia): what a film looks like after
/// the copy step that made the Kermany training films (224 px, JPEG quality 75: their quantisation tables are the IJG
/// tables at 75). The shift benchmark uses it to show which of the gates' signals come from that compression alone.
/// </summary>
public static class JpegRoundTrip
{
    /// <summary>The quality of the <c>kermany-224</c> copies, read from their quantisation tables.</summary>
    public const int TrainingCopyQuality = 75;

    public static GrayImage Apply(GrayImage image, int quality = TrainingCopyQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var source = new SKBitmap(info);
        Marshal.Copy(image.Pixels, 0, source.GetPixels(), image.Pixels.Length);
        using var encoded = source.Encode(SKEncodedImageFormat.Jpeg, quality)
            ?? throw new InvalidOperationException("Skia could not encode a JPEG");
        using var decoded = SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("Skia could not decode its own JPEG");
        using var gray = new SKBitmap(info);
        if (!decoded.CopyTo(gray, SKColorType.Gray8))
            throw new InvalidOperationException("Skia could not convert the decoded JPEG to gray");
        var pixels = new byte[image.Pixels.Length];
        Marshal.Copy(gray.GetPixels(), pixels, 0, pixels.Length);
        return new GrayImage(image.Width, image.Height, pixels);
    }
}
