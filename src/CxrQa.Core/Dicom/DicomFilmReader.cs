using System.Buffers.Binary;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom;

/// <summary>Options for reading DICOM films.</summary>
public sealed record DicomReaderOptions
{
    /// <summary>Path or name of GDCM's gdcmconv, used to decode compressed transfer syntaxes we cannot decode
    /// ourselves (JPEG 2000, JPEG-LS, JPEG lossless, RLE). Null disables the fallback.</summary>
    public string? GdcmconvPath { get; init; } = "gdcmconv";
    public TimeSpan ExternalDecoderTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Private folder (made 0700) for gdcmconv's temporary DICOM files (0600); they carry the patient's
    /// header. Null: a fresh private folder under the system temp path per conversion (the CLI). The server sets
    /// one under its data directory and removes leftovers there at start-up (<see cref="GdcmTemporaries"/>).</summary>
    public string? TemporaryDirectory { get; init; }
}

/// <summary>
/// Reads a DICOM Part-10 film (or a bare dataset) and renders its first frame to display-ready 8-bit gray.
/// Uncompressed, deflated and 8-bit JPEG pixel data are decoded here; other codecs go through gdcmconv when it is
/// configured. Every failure is a <see cref="CxrQaException"/> with a stable code; messages never carry patient data.
/// </summary>
public sealed class DicomFilmReader(DicomReaderOptions options)
{
    public DicomReaderOptions Options { get; } = options;

    /// <summary>How far into a dataset <see cref="DeclaredPixels"/> reads (inflated, for a deflated one) looking for
    /// the image size: real headers are kilobytes, large private groups tens of kilobytes.</summary>
    public const int DeclaredPixelsHeaderBudget = 1 << 20;

    /// <summary>Rows x Columns x Number of Frames (1 when absent) as the dataset declares them, read without decoding:
    /// a deflated dataset is inflated only as far as its Image Pixel Module (at most
    /// <see cref="DeclaredPixelsHeaderBudget"/> bytes). Null when the bytes are not DICOM, or Rows or Columns cannot be
    /// found within that budget or are zero.</summary>
    public static long? DeclaredPixels(ReadOnlySpan<byte> bytes)
    {
        if (!LooksLikeDicom(bytes) || Part10File.ParseHeader(bytes, DicomTag.Columns, DeclaredPixelsHeaderBudget) is not { } header)
            return null;
        if (header.GetUInt16(DicomTag.Rows) is not ({ } rows and > 0) || header.GetUInt16(DicomTag.Columns) is not ({ } columns and > 0))
            return null;
        return (long)rows * columns * PixelModule.FramesOf(header);
    }

    /// <summary>True when the bytes look like DICOM: "DICM" at offset 128, or a plausible group-0008/0002 element
    /// at offset 0 (files without preamble).</summary>
    public static bool LooksLikeDicom(ReadOnlySpan<byte> bytes)
    {
        if (Part10File.HasPreamble(bytes))
            return true;
        if (bytes.Length < 8)
            return false;
        var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        if (group is not (0x0002 or 0x0008))
            return false;
        if (ValueRepresentation.IsKnown(bytes[4], bytes[5]))
            return true; // explicit VR: a real VR code right after the tag is already strong evidence
        // Implicit VR: the first element of a real header is small (group lengths, character sets, UIDs).
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) <= 1024;
    }

    /// <summary>Decodes the first frame to display-ready 8-bit gray. Throws CxrQaException with a stable code.</summary>
    public DecodedFilm Read(ReadOnlyMemory<byte> bytes, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (bytes.IsEmpty)
            throw new CxrQaException(ErrorCodes.EmptyFile, "the DICOM file is empty");
        if (bytes.Length > limits.MaxFileBytes)
            throw new CxrQaException(ErrorCodes.FileTooLarge,
                $"the DICOM file is {bytes.Length} bytes, above the limit of {limits.MaxFileBytes}");
        return Decode(bytes, limits, allowExternal: true);
    }

    private DecodedFilm Decode(ReadOnlyMemory<byte> bytes, DecodeLimits limits, bool allowExternal)
    {
        var file = Part10File.Parse(bytes, limits);
        var ds = file.Dataset;
        var syntax = file.TransferSyntax;

        var pixelData = ds.Find(DicomTag.PixelData);
        if (pixelData is null)
        {
            throw ds.Contains(DicomTag.FloatPixelData) || ds.Contains(DicomTag.DoubleFloatPixelData)
                ? new CxrQaException(ErrorCodes.UnsupportedPixelFormat, "DICOM float pixel data is not supported")
                : new CxrQaException(ErrorCodes.DicomNoPixelData, "the DICOM file has no pixel data");
        }

        if (!pixelData.IsEncapsulated && pixelData.Length == 0)
            throw new CxrQaException(ErrorCodes.DicomNoPixelData, "the DICOM pixel data element is empty");

        var m = PixelModule.From(ds, limits);

        // Mislabelled files exist in both directions: native pixels under a compressed syntax decode natively, and
        // encapsulated pixels under a native syntax are an error (there is no codec to pick).
        if (!pixelData.IsEncapsulated)
            return Assemble(syntax, ds, m, NativePixelData.DecodeFirstFrame(ds, pixelData, m));
        if (syntax.Pixels is PixelEncoding.Native or PixelEncoding.Deflated)
            throw new CxrQaException(ErrorCodes.DicomMalformed,
                $"malformed DICOM: encapsulated pixel data under the uncompressed transfer syntax {syntax.Name}");

        if (syntax.Pixels == PixelEncoding.Jpeg)
        {
            var jpeg = JpegFrameDecoder.TryDecode(EncapsulatedPixelData.FirstFrame(ds, pixelData, m.Frames), limits);
            if (jpeg is not null)
                return Assemble(syntax, ds, m, RenderJpeg(ds, m, jpeg));
        }

        if (syntax.Pixels == PixelEncoding.Unsupported || !allowExternal)
            throw Unsupported(syntax, withHint: false);
        return DecodeExternally(bytes, limits, syntax, m);
    }

    /// <summary>Decompresses with gdcmconv and decodes the raw result, reporting the original transfer syntax.</summary>
    private DecodedFilm DecodeExternally(ReadOnlyMemory<byte> bytes, DecodeLimits limits, TransferSyntax syntax, PixelModule m)
    {
        var tool = GdcmConverter.Locate(Options.GdcmconvPath) ?? throw Unsupported(syntax, withHint: true);
        // Raw output is every frame uncompressed plus the header; anything much bigger is not what we asked for.
        var maxOutput = m.Frames * m.FrameBytes + bytes.Length + (1L << 20);
        var raw = GdcmConverter.ConvertToRaw(tool, bytes.Span, Options.ExternalDecoderTimeout, maxOutput, Options.TemporaryDirectory);
        var film = Decode(raw, limits, allowExternal: false);
        var facts = film.Metadata.Dicom! with { TransferSyntaxUid = syntax.Uid, TransferSyntaxName = syntax.Name };
        return film with { Metadata = film.Metadata with { Dicom = facts } };
    }

    private static RenderedFrame RenderJpeg(DicomDataset ds, PixelModule m, DecodedJpeg jpeg)
    {
        // The JPEG's own geometry is authoritative for its pixels; a header that disagrees is a writer error.
        var geometry = m with { Rows = jpeg.Height, Columns = jpeg.Width };
        if (jpeg.Colour)
            return FrameRenderer.FromRgb(geometry, jpeg.Samples);
        if (!m.IsMonochrome)
            throw new CxrQaException(ErrorCodes.UnsupportedPhotometric,
                $"DICOM PhotometricInterpretation '{m.Photometric}' does not match a grayscale JPEG frame");
        var stored = new int[jpeg.Samples.Length];
        for (var i = 0; i < stored.Length; i++)
            stored[i] = jpeg.Samples[i];
        return FrameRenderer.RenderMonochrome(ds, geometry with { Signed = false }, stored);
    }

    private static DecodedFilm Assemble(TransferSyntax syntax, DicomDataset ds, PixelModule m, RenderedFrame frame)
    {
        var facts = new DicomFacts(
            syntax.Uid,
            syntax.Name,
            Modality: ds.GetString(DicomTag.Modality),
            BodyPartExamined: ds.GetString(DicomTag.BodyPartExamined),
            ViewPosition: ds.GetString(DicomTag.ViewPosition),
            PhotometricInterpretation: m.Photometric,
            m.BitsAllocated,
            m.BitsStored,
            m.SamplesPerPixel,
            m.Frames,
            frame.WindowFromHeader);
        var metadata = new FilmMetadata(ImageFormat.Dicom, frame.Width, frame.Height, m.BitsStored, frame.Channels,
            frame.Colourfulness, facts);
        return new DecodedFilm(new GrayImage(frame.Width, frame.Height, frame.Gray), metadata);
    }

    private static CxrQaException Unsupported(TransferSyntax syntax, bool withHint) => new(
        ErrorCodes.UnsupportedTransferSyntax,
        $"unsupported transfer syntax {syntax.Name} ({syntax.Uid})"
        + (withHint ? "; install gdcmconv (Debian libgdcm-tools) to decode it" : ""));
}
