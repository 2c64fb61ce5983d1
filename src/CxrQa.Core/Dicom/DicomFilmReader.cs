using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom;

/// <summary>Options for reading DICOM films.</summary>
public sealed record DicomReaderOptions
{
    /// <summary>Path or name of GDCM's gdcmconv, used to decode compressed transfer syntaxes we cannot decode
    /// ourselves (JPEG 2000, JPEG-LS, JPEG lossless, RLE). Null disables the fallback.</summary>
    public string? GdcmconvPath { get; init; } = "gdcmconv";
    public TimeSpan ExternalDecoderTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>STUB — to be replaced by the DICOM Part-10 reader.</summary>
public sealed class DicomFilmReader(DicomReaderOptions options)
{
    public DicomReaderOptions Options { get; } = options;

    /// <summary>True when the bytes look like DICOM: "DICM" at offset 128, or a plausible group-0008/0002 element
    /// at offset 0 (files without preamble).</summary>
    public static bool LooksLikeDicom(ReadOnlySpan<byte> bytes) => throw new NotImplementedException();

    /// <summary>Decodes the first frame to display-ready 8-bit gray. Throws CxrQaException with a stable code.</summary>
    public DecodedFilm Read(ReadOnlyMemory<byte> bytes, DecodeLimits limits) => throw new NotImplementedException();
}
