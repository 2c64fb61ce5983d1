using System.Runtime.InteropServices;
using CxrQa.Core.Errors;
using SkiaSharp;

namespace CxrQa.Core.Imaging;

/// <summary>Decodes JPEG and PNG films through SkiaSharp after the header has passed the allocation guards.
/// Every failure leaves as a <see cref="CxrQaException"/>; a partially decoded film is never returned because
/// classifying half a chest is worse than refusing it.</summary>
internal static class RasterFilmDecoder
{
    /// <summary>Decodes at the stored size, or (JPEG only, when <paramref name="shrinkTarget"/> is set) at the largest
    /// DCT-scaled reduction the target allows. The metadata reports the header size either way.</summary>
    public static DecodedFilm Decode(ReadOnlySpan<byte> bytes, ImageFormat format, FilmHeader header, DecodeTarget? shrinkTarget = null)
    {
        try
        {
            return DecodeWithSkia(bytes, format, header, format == ImageFormat.Jpeg ? shrinkTarget : null);
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

    private static DecodedFilm DecodeWithSkia(ReadOnlySpan<byte> bytes, ImageFormat format, FilmHeader header, DecodeTarget? shrinkTarget)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var createResult)
            ?? throw Failure(createResult, format);

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width != header.Width || height != header.Height)
            throw new CxrQaException(ErrorCodes.CorruptImage,
                $"{format} header says {header.Width}x{header.Height} but the decoder sees {width}x{height}");

        // A gray source decodes straight to gray; everything else goes through unpremultiplied RGBA so that
        // colour and transparency are seen before they are folded away. No colour space on the target: film
        // levels are passed through, not colour-managed.
        var isGraySource = header.Channels == 1;
        var colorType = isGraySource ? SKColorType.Gray8 : SKColorType.Rgba8888;
        var alphaType = isGraySource ? SKAlphaType.Opaque : SKAlphaType.Unpremul;

        byte[]? buffer = null;
        var (decodedWidth, decodedHeight) = (width, height);
        if (ReducedSize(codec, shrinkTarget) is { } reduced)
        {
            // A scale the codec turns down (InvalidScale) falls back to the full decode below; any other failure is
            // the file's, and the full decode would fail the same way, so it is reported as such.
            var result = TryGetPixels(codec, new SKImageInfo(reduced.Width, reduced.Height, colorType, alphaType), out buffer);
            if (result == SKCodecResult.Success)
                (decodedWidth, decodedHeight) = (reduced.Width, reduced.Height);
            else if (result == SKCodecResult.InvalidScale)
                buffer = null;
            else
                throw Failure(result, format);
        }
        if (buffer is null)
        {
            var result = TryGetPixels(codec, new SKImageInfo(width, height, colorType, alphaType), out buffer);
            if (result != SKCodecResult.Success)
                throw Failure(result, format);
        }

        var pixelCount = decodedWidth * decodedHeight; // at most header.PixelCount, which passed DecodeLimits: fits an int
        var (gray, colourfulness) = isGraySource ? (buffer, 0.0) : GrayConversion.FromRgba(buffer, pixelCount);
        // The stored size, not the decoded one: too_small and the case metadata describe the film that was sent.
        var metadata = new FilmMetadata(format, width, height, header.BitsStored, header.Channels, colourfulness, null);
        return new DecodedFilm(new GrayImage(decodedWidth, decodedHeight, gray), metadata);
    }

    /// <summary>The largest of the 1/8, 1/4, 1/2 reductions the codec offers that still satisfies the target, or null
    /// for a full decode.</summary>
    private static SKSizeI? ReducedSize(SKCodec codec, DecodeTarget? shrinkTarget)
    {
        if (shrinkTarget is null)
            return null;
        foreach (var denominator in DecodeTarget.Denominators)
        {
            var size = codec.GetScaledDimensions(1f / denominator);
            var smaller = size.Width < codec.Info.Width || size.Height < codec.Info.Height;
            if (smaller && size.Width >= 1 && size.Height >= 1 && shrinkTarget.Allows(size.Width, size.Height))
                return size;
        }
        return null;
    }

    private static SKCodecResult TryGetPixels(SKCodec codec, SKImageInfo target, out byte[] buffer)
    {
        buffer = new byte[(long)target.Width * target.Height * target.BytesPerPixel];
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            return codec.GetPixels(target, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
    }

    private static CxrQaException Failure(SKCodecResult result, ImageFormat format) => result switch
    {
        SKCodecResult.IncompleteInput => new(ErrorCodes.TruncatedImage, $"{format} file is truncated"),
        SKCodecResult.InvalidConversion or SKCodecResult.Unimplemented =>
            new(ErrorCodes.UnsupportedPixelFormat, $"{format} pixel format is not supported ({result})"),
        _ => new(ErrorCodes.CorruptImage, $"{format} file is corrupt ({result})"),
    };
}
