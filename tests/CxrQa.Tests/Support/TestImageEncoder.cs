using System.Buffers.Binary;
using System.IO.Compression;
using CxrQa.Core.Imaging;
using SkiaSharp;

namespace CxrQa.Tests.Support;

/// <summary>Encodes test images to file bytes. PNG is written here (not by Skia) so that every colour type and bit
/// depth, 16-bit included, is exactly what the test asks for; JPEG goes through Skia's encoder.</summary>
public static class TestImageEncoder
{
    /// <summary>8-bit gray PNG.</summary>
    public static byte[] Png(GrayImage image) =>
        Png(image.Width, image.Height, channels: 1, bitDepth: 8, Widen(image.Pixels));

    /// <summary>8-bit RGB PNG.</summary>
    public static byte[] Png(RgbImage image) =>
        Png(image.Width, image.Height, channels: 3, bitDepth: 8, Widen(image.Rgb));

    /// <summary>Any non-palette PNG: <paramref name="channels"/> 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA;
    /// <paramref name="bitDepth"/> 8 or 16; <paramref name="samples"/> interleaved, row-major, in 0..2^bitDepth-1.</summary>
    public static byte[] Png(int width, int height, int channels, int bitDepth, ReadOnlySpan<ushort> samples)
    {
        if (samples.Length != width * height * channels)
            throw new ArgumentException($"expected {width * height * channels} samples, got {samples.Length}");
        if (bitDepth is not (8 or 16)) throw new ArgumentOutOfRangeException(nameof(bitDepth));
        var colourType = channels switch { 1 => 0, 2 => 4, 3 => 2, 4 => 6, _ => throw new ArgumentOutOfRangeException(nameof(channels)) };

        var bytesPerSample = bitDepth / 8;
        var rowBytes = width * channels * bytesPerSample;
        var raw = new byte[height * (rowBytes + 1)]; // each row: filter byte 0 (None), then samples big-endian
        for (var y = 0; y < height; y++)
        for (var i = 0; i < width * channels; i++)
        {
            var at = y * (rowBytes + 1) + 1 + i * bytesPerSample;
            var sample = samples[y * width * channels + i];
            if (bitDepth == 16) BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(at), sample);
            else raw[at] = checked((byte)sample);
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colourType;

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
            z.Write(raw);

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        PngChunks.Write(png, "IHDR", ihdr);
        PngChunks.Write(png, "IDAT", idat.ToArray());
        PngChunks.Write(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Only a PNG signature and an IHDR declaring the given size (no pixel data): for allocation guards.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        PngChunks.Write(png, "IHDR", ihdr);
        return png.ToArray();
    }

    /// <summary>Baseline gray (single-component) JPEG.</summary>
    public static byte[] Jpeg(GrayImage image, int quality = 95) =>
        EncodeJpeg(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque), image.Pixels, quality);

    /// <summary>Baseline colour JPEG.</summary>
    public static byte[] Jpeg(RgbImage image, int quality = 95)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Rgb.Length; i += 3, j += 4)
        {
            rgba[j] = image.Rgb[i];
            rgba[j + 1] = image.Rgb[i + 1];
            rgba[j + 2] = image.Rgb[i + 2];
            rgba[j + 3] = 255;
        }
        return EncodeJpeg(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba, quality);
    }

    private static byte[] EncodeJpeg(SKImageInfo info, byte[] pixels, int quality)
    {
        using var image = SKImage.FromPixelCopy(info, pixels);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static ushort[] Widen(byte[] bytes) => Array.ConvertAll(bytes, b => (ushort)b);
}
