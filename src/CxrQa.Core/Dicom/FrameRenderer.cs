using CxrQa.Core.Errors;

namespace CxrQa.Core.Dicom;

/// <summary>Renders one native (uncompressed) frame to gray according to its Photometric Interpretation.</summary>
internal static class FrameRenderer
{
    public static RenderedFrame Render(DicomDataset ds, PixelModule m, ReadOnlySpan<byte> frame, bool bigEndian)
    {
        switch (m.Photometric)
        {
            case "MONOCHROME1" or "MONOCHROME2":
                RequireSamples(m, 1);
                return RenderMonochrome(ds, m, StoredSamples.Read(frame, m, bigEndian, 0, m.PixelCount));

            case "RGB" or "YBR_FULL":
            {
                RequireSamples(m, 3);
                var rgb = InterleavedEightBit(frame, m, bigEndian);
                if (m.Photometric == "YBR_FULL")
                    ColourToGray.YbrFullToRgbInPlace(rgb);
                return FromRgb(m, rgb);
            }

            case "PALETTE COLOR":
            {
                RequireSamples(m, 1);
                var palette = PaletteLut.From(ds);
                var indices = StoredSamples.Read(frame, m with { Signed = false }, bigEndian, 0, m.PixelCount);
                return FromRgb(m, palette.Expand(indices));
            }

            default:
                throw new CxrQaException(ErrorCodes.UnsupportedPhotometric,
                    $"DICOM PhotometricInterpretation '{m.Photometric}' is not supported for uncompressed pixel data");
        }
    }

    /// <summary>Modality LUT, VOI (header window or min-max), MONOCHROME1 inversion.</summary>
    public static RenderedFrame RenderMonochrome(DicomDataset ds, PixelModule m, int[] stored)
    {
        var window = VoiWindow.From(ds);
        var padding = ds.GetUInt16(DicomTag.PixelPaddingValue) is { } p ? StoredSamples.FromAttribute(p, m) : (int?)null;
        var gray = GrayscaleRenderer.Render(stored, ModalityTransform.From(ds, m), window,
            invert: m.Photometric == "MONOCHROME1", padding);
        return new RenderedFrame(m.Columns, m.Rows, gray, 1, 0, window is not null);
    }

    public static RenderedFrame FromRgb(PixelModule m, byte[] rgb)
    {
        var (gray, colourfulness) = ColourToGray.Convert(rgb, m.PixelCount);
        return new RenderedFrame(m.Columns, m.Rows, gray, 3, colourfulness, false);
    }

    /// <summary>Three samples per pixel, planar or interleaved, reduced to interleaved 8-bit RGB.</summary>
    private static byte[] InterleavedEightBit(ReadOnlySpan<byte> frame, PixelModule m, bool bigEndian)
    {
        var n = m.PixelCount;
        var rgb = new byte[3 * n];
        var down = Math.Max(0, m.BitsStored - 8);
        for (var c = 0; c < 3; c++)
        {
            var samples = m.Planar
                ? StoredSamples.Read(frame, m, bigEndian, c * n, n)
                : StoredSamples.Read(frame, m, bigEndian, c, n, stride: 3);
            for (var i = 0; i < n; i++)
                rgb[3 * i + c] = (byte)Math.Clamp(samples[i] >> down, 0, 255);
        }

        return rgb;
    }

    private static void RequireSamples(PixelModule m, int expected)
    {
        if (m.SamplesPerPixel != expected)
            throw new CxrQaException(ErrorCodes.UnsupportedPixelFormat,
                $"DICOM {m.Photometric} with SamplesPerPixel {m.SamplesPerPixel} is not supported (expected {expected})");
    }
}
