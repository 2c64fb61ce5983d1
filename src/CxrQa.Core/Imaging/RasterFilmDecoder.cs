using System.Runtime.InteropServices;
using CxrQa.Core.Errors;
using SkiaSharp;

namespace CxrQa.Core.Imaging;

/// <summary>Decodes JPEG and PNG films through SkiaSharp after the header has passed the allocation guards.
/// Every failure leaves as a <see cref="CxrQaException"/>; a partially decoded film is never returned because
/// classifying half a chest is worse than refusing it.</summary>
internal static class RasterFilmDecoder
{
    public static DecodedFilm Decode(ReadOnlySpan<byte> bytes, ImageFormat format, FilmHeader header)
    {
        try
        {
            return DecodeWithSkia(bytes, format, header);
        }
        catch (CxrQaException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new CxrQaException(ErrorCodes.CorruptImage, $"{format} could not be decoded: {ex.Message}", ex);
        }
    }

    private static DecodedFilm DecodeWithSkia(ReadOnlySpan<byte> bytes, ImageFormat format, FilmHeader header)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var createResult)
            ?? throw Failure(createResult, format);

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width != header.Width || height != header.Height)
            throw new CxrQaException(ErrorCodes.CorruptImage,
                $"{format} header says {header.Width}x{header.Height} but the decoder sees {width}x{height}");

        var pixelCount = width * height; // header.PixelCount already passed DecodeLimits, so this fits an int
        // A gray source decodes straight to gray; everything else goes through unpremultiplied RGBA so that
        // colour and transparency are seen before they are folded away. No colour space on the target: film
        // levels are passed through, not colour-managed.
        var isGraySource = header.Channels == 1;
        var target = new SKImageInfo(width, height,
            isGraySource ? SKColorType.Gray8 : SKColorType.Rgba8888,
            isGraySource ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var buffer = new byte[(long)pixelCount * target.BytesPerPixel];
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(target, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result != SKCodecResult.Success)
            throw Failure(result, format);

        var (gray, colourfulness) = isGraySource ? (buffer, 0.0) : GrayConversion.FromRgba(buffer, pixelCount);
        var metadata = new FilmMetadata(format, width, height, header.BitsStored, header.Channels, colourfulness, null);
        return new DecodedFilm(new GrayImage(width, height, gray), metadata);
    }

    private static CxrQaException Failure(SKCodecResult result, ImageFormat format) => result switch
    {
        SKCodecResult.IncompleteInput => new(ErrorCodes.TruncatedImage, $"{format} file is truncated"),
        SKCodecResult.InvalidConversion or SKCodecResult.Unimplemented =>
            new(ErrorCodes.UnsupportedPixelFormat, $"{format} pixel format is not supported ({result})"),
        _ => new(ErrorCodes.CorruptImage, $"{format} file is corrupt ({result})"),
    };
}
