using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom;

/// <summary>The Image Pixel module attributes, validated, with the allocation guard applied: nothing downstream
/// allocates a pixel buffer before <see cref="From"/> has checked the size against <see cref="DecodeLimits"/>.</summary>
internal sealed record PixelModule(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    string Photometric,
    int BitsAllocated,
    int BitsStored,
    int HighBit,
    bool Signed,
    bool Planar,
    int Frames)
{
    public int PixelCount => Rows * Columns;

    public int BytesPerSample => BitsAllocated / 8;

    /// <summary>Bytes of one native (uncompressed) frame.</summary>
    public long FrameBytes => (long)Rows * Columns * SamplesPerPixel * BytesPerSample;

    public bool IsMonochrome => Photometric is "MONOCHROME1" or "MONOCHROME2";

    /// <summary>Number of Frames (an IS): anything below 1, above int.MaxValue or unreadable counts as one frame.</summary>
    public static int FramesOf(DicomDataset ds)
    {
        ArgumentNullException.ThrowIfNull(ds);
        return ds.GetNumber(DicomTag.NumberOfFrames) is { } f && f >= 1 && f <= int.MaxValue ? (int)f : 1;
    }

    public static PixelModule From(DicomDataset ds, DecodeLimits limits)
    {
        var rows = ds.GetUInt16(DicomTag.Rows) ?? 0;
        var columns = ds.GetUInt16(DicomTag.Columns) ?? 0;
        if (rows == 0 || columns == 0)
            throw new CxrQaException(ErrorCodes.DicomMalformed, "malformed DICOM: Rows or Columns is missing or zero");

        var frames = FramesOf(ds);
        var pixels = (long)rows * columns * frames;
        if (pixels > limits.MaxPixels)
            throw new CxrQaException(ErrorCodes.ImageTooLarge,
                $"DICOM image is {columns}x{rows} with {frames} frame(s) = {pixels} pixels, above the limit of {limits.MaxPixels}");

        var samples = ds.GetUInt16(DicomTag.SamplesPerPixel) ?? 1;
        if (samples is not (1 or 3))
            throw new CxrQaException(ErrorCodes.UnsupportedPixelFormat, $"DICOM SamplesPerPixel {samples} is not supported (1 or 3)");

        var bitsAllocated = ds.GetUInt16(DicomTag.BitsAllocated)
            ?? throw new CxrQaException(ErrorCodes.DicomMalformed, "malformed DICOM: BitsAllocated is missing");
        if (bitsAllocated is not (8 or 16))
            throw new CxrQaException(ErrorCodes.UnsupportedPixelFormat, $"DICOM BitsAllocated {bitsAllocated} is not supported (8 or 16)");

        var bitsStored = ds.GetUInt16(DicomTag.BitsStored) ?? bitsAllocated;
        if (bitsStored < 1 || bitsStored > bitsAllocated)
            throw new CxrQaException(ErrorCodes.DicomMalformed,
                $"malformed DICOM: BitsStored {bitsStored} does not fit BitsAllocated {bitsAllocated}");

        // A HighBit that cannot hold BitsStored bits is a writer bug; the usual layout (low bits) is the safe reading.
        var highBit = ds.GetUInt16(DicomTag.HighBit) ?? bitsStored - 1;
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated)
            highBit = bitsStored - 1;

        var photometric = ds.GetString(DicomTag.PhotometricInterpretation)?.ToUpperInvariant()
            ?? (samples == 1 ? "MONOCHROME2" : "RGB");

        return new PixelModule(rows, columns, samples, photometric, bitsAllocated, bitsStored, highBit,
            Signed: ds.GetUInt16(DicomTag.PixelRepresentation) == 1,
            Planar: ds.GetUInt16(DicomTag.PlanarConfiguration) == 1,
            Frames: frames);
    }
}
