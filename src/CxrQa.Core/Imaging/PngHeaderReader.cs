using System.Buffers.Binary;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Imaging;

/// <summary>Reads the PNG IHDR chunk ourselves: the size must be known (and refused when huge) before a codec is
/// created, and Skia does not report the stored bit depth or whether the source was gray.</summary>
internal static class PngHeaderReader
{
    private const int SignatureLength = 8;
    private const int IhdrDataOffset = SignatureLength + 8; // chunk length + chunk type
    private const int IhdrDataLength = 13;

    public static FilmHeader Read(ReadOnlySpan<byte> png)
    {
        if (png.Length < IhdrDataOffset + IhdrDataLength)
            throw new CxrQaException(ErrorCodes.TruncatedImage, "PNG file ends inside its header");
        var chunkLength = BinaryPrimitives.ReadUInt32BigEndian(png[SignatureLength..]);
        if (chunkLength != IhdrDataLength || !png.Slice(SignatureLength + 4, 4).SequenceEqual("IHDR"u8))
            throw new CxrQaException(ErrorCodes.CorruptImage, "PNG file does not start with an IHDR chunk");

        var ihdr = png.Slice(IhdrDataOffset, IhdrDataLength);
        var width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        int bitDepth = ihdr[8];
        int colourType = ihdr[9];
        // The PNG specification caps each side at 2^31-1; zero is invalid.
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw new CxrQaException(ErrorCodes.CorruptImage, $"PNG header declares an invalid size {width}x{height}");

        var channels = colourType switch
        {
            0 => 1,
            2 => 3,
            3 => HasTransparencyChunk(png) ? 4 : 3,
            4 => 2,
            6 => 4,
            _ => throw new CxrQaException(ErrorCodes.CorruptImage, $"PNG header declares unknown colour type {colourType}"),
        };
        if (!IsAllowedDepth(colourType, bitDepth))
            throw new CxrQaException(ErrorCodes.CorruptImage, $"PNG header declares bit depth {bitDepth} for colour type {colourType}");
        // Palette entries are 8-bit whatever the index depth is.
        var bitsStored = colourType == 3 ? 8 : bitDepth;
        return new FilmHeader((int)width, (int)height, bitsStored, channels);
    }

    private static bool IsAllowedDepth(int colourType, int bitDepth) => colourType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        _ => bitDepth is 8 or 16,
    };

    /// <summary>Walks the chunks before the first IDAT looking for tRNS (a palette image with transparency).</summary>
    private static bool HasTransparencyChunk(ReadOnlySpan<byte> png)
    {
        var offset = SignatureLength;
        while (offset + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (type.SequenceEqual("tRNS"u8)) return true;
            if (type.SequenceEqual("IDAT"u8) || length > int.MaxValue - 12) return false;
            var next = (long)offset + 12 + length;
            if (next > png.Length) return false;
            offset = (int)next;
        }
        return false;
    }
}
