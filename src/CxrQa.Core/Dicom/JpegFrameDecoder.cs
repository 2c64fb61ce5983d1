using System.Runtime.InteropServices;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;
using SkiaSharp;

namespace CxrQa.Core.Dicom;

/// <summary>A decoded JPEG frame: 8-bit gray samples, or interleaved RGB when the stream has colour.</summary>
internal sealed record DecodedJpeg(int Width, int Height, bool Colour, byte[] Samples);

/// <summary>Decodes an 8-bit JPEG bitstream (DICOM JPEG Baseline / Extended) with SkiaSharp's libjpeg-turbo.</summary>
internal static class JpegFrameDecoder
{
    /// <summary>Null when Skia cannot open the stream at all (e.g. 12-bit JPEG, which libjpeg-turbo in Skia lacks), so
    /// the caller can fall back to gdcmconv; a stream Skia opens but cannot finish is a typed error.</summary>
    public static DecodedJpeg? TryDecode(byte[] jpeg, DecodeLimits limits)
    {
        using var data = SKData.CreateCopy(jpeg);
        using var codec = SKCodec.Create(data);
        if (codec is null)
            return null;

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < 1 || height < 1)
            throw new CxrQaException(ErrorCodes.CorruptImage, "JPEG frame in DICOM has no size");
        if ((long)width * height > limits.MaxPixels)
            throw new CxrQaException(ErrorCodes.ImageTooLarge,
                $"JPEG frame in DICOM is {width}x{height}, above the limit of {limits.MaxPixels} pixels");

        var colour = codec.Info.ColorType != SKColorType.Gray8;
        var info = new SKImageInfo(width, height, colour ? SKColorType.Rgba8888 : SKColorType.Gray8, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize64];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }

        if (result == SKCodecResult.IncompleteInput)
            throw new CxrQaException(ErrorCodes.TruncatedImage, "JPEG frame in DICOM is truncated");
        if (result != SKCodecResult.Success)
            throw new CxrQaException(ErrorCodes.CorruptImage, $"JPEG frame in DICOM could not be decoded ({result})");

        return new DecodedJpeg(width, height, colour, colour ? DropAlpha(pixels, width * height) : pixels);
    }

    private static byte[] DropAlpha(byte[] rgba, int pixelCount)
    {
        var rgb = new byte[pixelCount * 3];
        for (var i = 0; i < pixelCount; i++)
        {
            rgb[3 * i] = rgba[4 * i];
            rgb[3 * i + 1] = rgba[4 * i + 1];
            rgb[3 * i + 2] = rgba[4 * i + 2];
        }

        return rgb;
    }
}
