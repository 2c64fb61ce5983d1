using CxrQa.Core.Errors;

namespace CxrQa.Core.Dicom;

/// <summary>Locates the first frame in uncompressed Pixel Data and renders it.</summary>
internal static class NativePixelData
{
    public static RenderedFrame DecodeFirstFrame(DicomDataset ds, DicomElement pixelData, PixelModule m)
    {
        var value = ds.Value(pixelData).Span;
        if (value.Length < m.FrameBytes)
            throw new CxrQaException(ErrorCodes.TruncatedImage,
                $"DICOM pixel data has {value.Length} bytes but a {m.Columns}x{m.Rows} frame with {m.SamplesPerPixel} sample(s) of {m.BitsAllocated} bits needs {m.FrameBytes}");
        var frame = value[..(int)m.FrameBytes];

        // Explicit VR big endian swaps OW per 16-bit word even when the samples are 8-bit.
        if (pixelData.BigEndian && m.BitsAllocated == 8 && pixelData.Vr == "OW")
            return FrameRenderer.Render(ds, m, SwapWordBytes(frame), bigEndian: false);
        return FrameRenderer.Render(ds, m, frame, pixelData.BigEndian);
    }

    private static byte[] SwapWordBytes(ReadOnlySpan<byte> frame)
    {
        var copy = frame.ToArray();
        for (var i = 0; i + 1 < copy.Length; i += 2)
            (copy[i], copy[i + 1]) = (copy[i + 1], copy[i]);
        return copy;
    }
}
