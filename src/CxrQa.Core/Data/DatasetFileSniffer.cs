using CxrQa.Core.Imaging;

namespace CxrQa.Core.Data;

/// <summary>
/// Tells image files from anything else lying in a dataset folder (thumbs.db, .DS_Store, notes) by their magic
/// bytes, never by the extension. Only recognises the container; whether it decodes is the decoder's business.
/// </summary>
public static class DatasetFileSniffer
{
    /// <summary>Bytes needed to see every signature: the DICOM "DICM" sits after a 128-byte preamble.</summary>
    public const int HeaderLength = 132;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageFormat? Sniff(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF) return ImageFormat.Jpeg;
        if (header.StartsWith(PngSignature)) return ImageFormat.Png;
        if (header.Length >= HeaderLength && header.Slice(128, 4).SequenceEqual("DICM"u8)) return ImageFormat.Dicom;
        return null;
    }
}
