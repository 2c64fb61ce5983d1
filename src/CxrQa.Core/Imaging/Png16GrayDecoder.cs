using System.Buffers.Binary;
using System.IO.Compression;
using CxrQa.Core.Dicom;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Imaging;

/// <summary>
/// Decodes 16-bit greyscale PNGs (colour type 0, and 4 = grey + alpha) at full depth. Skia (libpng) keeps only the
/// high byte of a 16-bit sample, so a 12-bit film stored in 16 bits (values 0..4095) would come out nearly black.
/// Here the samples are read as they are and windowed the way the DICOM reader windows a film without a VOI window
/// (<see cref="GrayscaleRenderer"/>: a min-max stretch of the film's own range), so such a film uses all of 0..255.
/// Grey + alpha is windowed on the grey samples, then composited over black like every other transparent source.
/// Non-interlaced only: the caller leaves Adam7 files to Skia (<see cref="Handles"/>). Chunk CRCs are not checked
/// (libpng checks them; a flipped CRC here is harmless). Every failure is a <see cref="CxrQaException"/>.
/// </summary>
internal static class Png16GrayDecoder
{
    private const int SignatureLength = 8;
    private const int IhdrDataOffset = SignatureLength + 8;
    private const int MaxDeflateRatio = 1032;

    /// <summary>True for a non-interlaced PNG whose IHDR says bit depth 16 and colour type 0 or 4. The header has
    /// already been read (and so validated) by <see cref="PngHeaderReader"/>.</summary>
    public static bool Handles(ReadOnlySpan<byte> png, FilmHeader header) =>
        header.BitsStored == 16 && header.Channels is 1 or 2
        && png.Length >= IhdrDataOffset + 13
        && png[IhdrDataOffset + 12] == 0; // interlace method: 0 none, 1 Adam7

    public static DecodedFilm Decode(ReadOnlySpan<byte> png, FilmHeader header)
    {
        try
        {
            return DecodeCore(png, header);
        }
        catch (CxrQaException)
        {
            throw;
        }
        catch (InvalidDataException ex)
        {
            throw new CxrQaException(ErrorCodes.CorruptImage, $"PNG image data is corrupt: {ex.Message}", ex);
        }
        catch (Exception ex)
        {
            throw new CxrQaException(ErrorCodes.CorruptImage, $"PNG could not be decoded: {ex.Message}", ex);
        }
    }

    private static DecodedFilm DecodeCore(ReadOnlySpan<byte> png, FilmHeader header)
    {
        var (idat, significantBits) = ReadChunks(png, header.Channels);
        var channels = header.Channels;
        var (width, height) = (header.Width, header.Height);
        var bytesPerPixel = 2 * channels;
        var rowBytes = (long)width * bytesPerPixel;
        if (rowBytes + 1 > Array.MaxLength)
            throw new CxrQaException(ErrorCodes.ImageTooLarge, $"PNG rows of {width} pixels are too wide to decode");

        // Deflate expands at most ~1032:1, so a small file that claims a large film is refused before the pixel
        // buffers are allocated, as it would be at its first missing row.
        var rawSize = (rowBytes + 1) * height;
        if (idat.LongLength * MaxDeflateRatio + 1024 < rawSize)
            throw new CxrQaException(ErrorCodes.TruncatedImage,
                $"PNG image data ({idat.Length} bytes) is too short for {width}x{height} 16-bit pixels");

        // The header passed DecodeLimits (and PixelCount * 4 <= Array.MaxLength), so these fit.
        var pixelCount = width * height;
        var grey = new int[pixelCount];
        var alpha = channels == 2 ? new byte[pixelCount] : null;

        var previous = new byte[rowBytes];
        var current = new byte[rowBytes];
        Span<byte> filter = stackalloc byte[1];
        using (var z = new ZLibStream(new MemoryStream(idat, writable: false), CompressionMode.Decompress))
        {
            for (var y = 0; y < height; y++)
            {
                if (!ReadFully(z, filter) || !ReadFully(z, current))
                    throw new CxrQaException(ErrorCodes.TruncatedImage,
                        $"PNG image data ends at row {y} of {height}");
                Unfilter(filter[0], current, previous, bytesPerPixel, y);

                var row = y * width;
                for (var x = 0; x < width; x++)
                {
                    var at = x * bytesPerPixel;
                    grey[row + x] = BinaryPrimitives.ReadUInt16BigEndian(current.AsSpan(at));
                    if (alpha is not null)
                        alpha[row + x] = To8Bits(BinaryPrimitives.ReadUInt16BigEndian(current.AsSpan(at + 2)));
                }
                (previous, current) = (current, previous);
            }
        }
        // Data after the last row is ignored, as libpng does (it only warns).

        var gray = GrayscaleRenderer.Render(grey, ModalityTransform.Identity, window: null, invert: false, paddingValue: null);
        if (alpha is not null)
            for (var i = 0; i < gray.Length; i++)
                gray[i] = (byte)GrayConversion.OverBlack(gray[i], alpha[i]);

        var metadata = new FilmMetadata(ImageFormat.Png, width, height, significantBits ?? 16, channels, 0, null);
        return new DecodedFilm(new GrayImage(width, height, gray), metadata);
    }

    /// <summary>Concatenated IDAT data and the grey significant bits from sBIT (1..16) when present and valid.</summary>
    private static (byte[] Idat, int? SignificantBits) ReadChunks(ReadOnlySpan<byte> png, int channels)
    {
        var parts = new List<(int Offset, int Length)>();
        long total = 0;
        int? significantBits = null;
        var offset = SignatureLength;
        var sawEnd = false;
        while (offset < png.Length)
        {
            if (png.Length - offset < 12)
                throw new CxrQaException(ErrorCodes.TruncatedImage, "PNG file ends inside a chunk header");
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > int.MaxValue)
                throw new CxrQaException(ErrorCodes.CorruptImage, $"PNG chunk declares length {length}");
            var type = png.Slice(offset + 4, 4);
            var dataStart = offset + 8;
            if (length > (uint)(png.Length - dataStart - 4))
                throw new CxrQaException(ErrorCodes.TruncatedImage, "PNG file ends inside a chunk");

            var data = png.Slice(dataStart, (int)length);
            if (type.SequenceEqual("IDAT"u8))
            {
                parts.Add((dataStart, (int)length));
                total += length;
            }
            else if (type.SequenceEqual("sBIT"u8) && parts.Count == 0 && data.Length == channels
                     && data[0] is >= 1 and <= 16)
            {
                significantBits = data[0];
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                sawEnd = true;
                break;
            }
            offset = dataStart + (int)length + 4;
        }

        if (parts.Count == 0)
            throw sawEnd
                ? new CxrQaException(ErrorCodes.CorruptImage, "PNG file has no image data (IDAT)")
                : new CxrQaException(ErrorCodes.TruncatedImage, "PNG file ends before its image data");

        // Bounded by the file size, which passed DecodeLimits.MaxFileBytes.
        var idat = new byte[total];
        var written = 0;
        foreach (var (start, length) in parts)
        {
            png.Slice(start, length).CopyTo(idat.AsSpan(written));
            written += length;
        }
        return (idat, significantBits);
    }

    /// <summary>Reverses one of the five PNG row filters in place; <paramref name="previous"/> is the previous
    /// unfiltered row (all zero for the first row).</summary>
    internal static void Unfilter(byte type, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, int y)
    {
        var bpp = bytesPerPixel;
        switch (type)
        {
            case 0:
                break;
            case 1: // Sub
                for (var i = bpp; i < row.Length; i++)
                    row[i] += row[i - bpp];
                break;
            case 2: // Up
                if (y > 0)
                    for (var i = 0; i < row.Length; i++)
                        row[i] += previous[i];
                break;
            case 3: // Average
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= bpp ? row[i - bpp] : 0;
                    var up = y > 0 ? previous[i] : 0;
                    row[i] += (byte)((left + up) >> 1);
                }
                break;
            case 4: // Paeth
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= bpp ? row[i - bpp] : 0;
                    var up = y > 0 ? previous[i] : 0;
                    var upLeft = i >= bpp && y > 0 ? previous[i - bpp] : 0;
                    row[i] += Paeth(left, up, upLeft);
                }
                break;
            default:
                throw new CxrQaException(ErrorCodes.CorruptImage, $"PNG row {y} has unknown filter type {type}");
        }
    }

    private static byte Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }

    /// <summary>A 16-bit alpha to 0..255, rounded to nearest (v * 257 maps back to v).</summary>
    private static byte To8Bits(int v) => (byte)((v * 255 + 32767) / 65535);

    private static bool ReadFully(Stream stream, Span<byte> buffer) =>
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
}
