namespace CxrQa.Core.Dicom;

/// <summary>How the pixel data of a transfer syntax gets decoded.</summary>
internal enum PixelEncoding
{
    /// <summary>Uncompressed samples in the dataset's byte order.</summary>
    Native,
    /// <summary>Native samples inside a raw-deflated dataset.</summary>
    Deflated,
    /// <summary>Encapsulated 8-bit JPEG that SkiaSharp (libjpeg-turbo) decodes.</summary>
    Jpeg,
    /// <summary>Encapsulated codec we do not implement; handed to gdcmconv when it is available.</summary>
    External,
    /// <summary>Video and other syntaxes no still-image decoder here handles.</summary>
    Unsupported,
}

/// <summary>A transfer syntax: its UID, a readable name, and how its dataset and pixels are encoded.</summary>
internal sealed record TransferSyntax(string Uid, string Name, bool ExplicitVr, bool BigEndian, PixelEncoding Pixels)
{
    public static readonly TransferSyntax ImplicitVrLittleEndian =
        new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, PixelEncoding.Native);

    public static readonly TransferSyntax ExplicitVrLittleEndian =
        new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, PixelEncoding.Native);

    public static readonly TransferSyntax ExplicitVrBigEndian =
        new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, PixelEncoding.Native);

    private static readonly TransferSyntax[] Table =
    [
        ImplicitVrLittleEndian,
        ExplicitVrLittleEndian,
        ExplicitVrBigEndian,
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, PixelEncoding.Deflated),
        new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, PixelEncoding.Jpeg),
        new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, PixelEncoding.Jpeg),
        new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, PixelEncoding.External),
        new("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", true, false, PixelEncoding.Unsupported),
        new("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", true, false, PixelEncoding.Unsupported),
    ];

    /// <summary>Looks a UID up. An unknown UID is assumed to be an encapsulated (explicit VR LE) syntax, which every
    /// syntax defined since 1993 is; gdcmconv may still know it.</summary>
    public static TransferSyntax FromUid(string uid)
    {
        foreach (var ts in Table)
            if (ts.Uid == uid)
                return ts;
        return new TransferSyntax(uid, "unknown transfer syntax", true, false, PixelEncoding.External);
    }
}
