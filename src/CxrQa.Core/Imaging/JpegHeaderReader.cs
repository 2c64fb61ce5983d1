using System.Buffers.Binary;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Imaging;

/// <summary>Walks the JPEG marker segments up to the first start-of-frame to learn the size, precision and component
/// count before any decoder allocates pixels.</summary>
internal static class JpegHeaderReader
{
    public static FilmHeader Read(ReadOnlySpan<byte> jpeg)
    {
        var offset = 2; // after SOI
        while (true)
        {
            // Markers may be preceded by any number of 0xFF fill bytes.
            if (offset >= jpeg.Length) throw Truncated();
            if (jpeg[offset] != 0xFF)
                throw new CxrQaException(ErrorCodes.CorruptImage, $"JPEG marker expected at byte {offset}");
            while (offset < jpeg.Length && jpeg[offset] == 0xFF) offset++;
            if (offset >= jpeg.Length) throw Truncated();
            var marker = jpeg[offset++];

            if (marker is 0x01 or (>= 0xD0 and <= 0xD8)) continue; // standalone markers carry no length
            if (marker is 0xD9 or 0xDA)
                throw new CxrQaException(ErrorCodes.CorruptImage, "JPEG has no frame header before its image data");
            if (offset + 2 > jpeg.Length) throw Truncated();
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[offset..]);
            if (length < 2) throw new CxrQaException(ErrorCodes.CorruptImage, "JPEG segment with an invalid length");

            if (IsStartOfFrame(marker))
            {
                if (offset + 8 > jpeg.Length) throw Truncated();
                int precision = jpeg[offset + 2];
                int height = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(offset + 3)..]);
                int width = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(offset + 5)..]);
                int components = jpeg[offset + 7];
                // Height 0 means "defined later by a DNL marker": legal but never produced by film software.
                if (width == 0 || height == 0 || components == 0)
                    throw new CxrQaException(ErrorCodes.CorruptImage, $"JPEG frame header declares {width}x{height} with {components} components");
                return new FilmHeader(width, height, precision, components);
            }
            offset += length;
        }
    }

    /// <summary>SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.</summary>
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private static CxrQaException Truncated() => new(ErrorCodes.TruncatedImage, "JPEG file ends before its frame header");
}
