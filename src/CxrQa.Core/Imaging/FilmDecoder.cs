using CxrQa.Core.Dicom;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Imaging;

/// <summary>Detects the format from the bytes (never the file name) and decodes JPEG, PNG or DICOM to display-ready
/// 8-bit gray. Every refusal is a <see cref="CxrQaException"/> with a stable code.</summary>
public sealed class FilmDecoder(DicomFilmReader dicom)
{
    public DicomFilmReader Dicom { get; } = dicom;

    /// <summary>Bytes that are enough to sniff any supported format: the DICOM "DICM" sits after a 128-byte preamble.</summary>
    public const int SniffLength = 132;

    /// <summary>The container format, or null when the bytes are none of ours. The fixed JPEG and PNG signatures
    /// are checked before the DICOM heuristics so that an image never reaches the DICOM reader.</summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return ImageFormat.Jpeg;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return ImageFormat.Png;
        if (DicomFilmReader.LooksLikeDicom(bytes)) return ImageFormat.Dicom;
        return null;
    }

    /// <summary>The pixel count a film's header declares, read without decoding: a JPEG's frame, a PNG's IHDR, a DICOM
    /// data set's Rows x Columns x Number of Frames (a deflated one inflated only as far as those,
    /// <see cref="DicomFilmReader.DeclaredPixels"/>). Null for bytes whose header cannot be read (they fail fast when
    /// decoded). The inference queue charges a request by it, so that one request of huge films cannot hold the worker.</summary>
    public static long? DeclaredPixels(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Sniff(bytes) switch
            {
                ImageFormat.Jpeg => JpegHeaderReader.Read(bytes).PixelCount,
                ImageFormat.Png => PngHeaderReader.Read(bytes).PixelCount,
                ImageFormat.Dicom => DicomFilmReader.DeclaredPixels(bytes),
                _ => null,
            };
        }
        catch (CxrQaException)
        {
            return null;
        }
    }

    /// <summary>Decodes at the stored size.</summary>
    public DecodedFilm Decode(ReadOnlyMemory<byte> bytes, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Decode(bytes, DecodeOptions.FullSize(limits));
    }

    /// <summary>Decodes under <paramref name="options"/>: a JPEG may come back reduced when
    /// <see cref="DecodeOptions.ShrinkTarget"/> is set; its metadata still reports the stored size.</summary>
    public DecodedFilm Decode(ReadOnlyMemory<byte> bytes, DecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Limits ?? throw new ArgumentException("DecodeOptions.Limits is null", nameof(options));
        if (bytes.IsEmpty)
            throw new CxrQaException(ErrorCodes.EmptyFile, "the file is empty");
        if (bytes.Length > limits.MaxFileBytes)
            throw new CxrQaException(ErrorCodes.FileTooLarge,
                $"the file is {bytes.Length} bytes; the limit is {limits.MaxFileBytes}");

        var span = bytes.Span;
        switch (Sniff(span))
        {
            case ImageFormat.Dicom:
                return Dicom.Read(bytes, limits);
            case ImageFormat.Jpeg:
                return DecodeRaster(span, ImageFormat.Jpeg, JpegHeaderReader.Read(span), limits, options.ShrinkTarget);
            case ImageFormat.Png:
                return DecodeRaster(span, ImageFormat.Png, PngHeaderReader.Read(span), limits, shrinkTarget: null);
            default:
                throw new CxrQaException(ErrorCodes.UnsupportedFormat, "not a JPEG, PNG or DICOM file");
        }
    }

    private static DecodedFilm DecodeRaster(ReadOnlySpan<byte> bytes, ImageFormat format, FilmHeader header, DecodeLimits limits,
        DecodeTarget? shrinkTarget)
    {
        // Refuse from the header, before a decoder allocates anything: a 100-byte PNG may claim 60000x60000.
        // The second bound keeps the RGBA working buffer inside one .NET array whatever the limits say.
        if (header.PixelCount > limits.MaxPixels || header.PixelCount * 4 > Array.MaxLength)
            throw new CxrQaException(ErrorCodes.ImageTooLarge,
                $"{format} is {header.Width}x{header.Height} ({header.PixelCount} pixels); the limit is {limits.MaxPixels}");
        // 16-bit grey PNGs are read at full depth here (Skia keeps only the high byte); Adam7-interlaced ones, and
        // 16-bit RGB(A), still go to Skia.
        if (format == ImageFormat.Png && Png16GrayDecoder.Handles(bytes, header))
            return Png16GrayDecoder.Decode(bytes, header);
        // A JPEG decoder pads missing blocks with grey and calls it a success; the data must fit the declared frame.
        if (format == ImageFormat.Jpeg)
            JpegScanDataCheck.Check(bytes, header);
        return RasterFilmDecoder.Decode(bytes, format, header, shrinkTarget);
    }
}
