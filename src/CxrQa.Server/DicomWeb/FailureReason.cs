using CxrQa.Core.Errors;
using CxrQa.Server.Http;

namespace CxrQa.Server.DicomWeb;

/// <summary>Failure Reason (0008,1197) values of a Store Instances answer (PS3.18 Table I.2-2), and which one each of
/// our refusals is.</summary>
public static class FailureReason
{
    /// <summary>A7xx: the instance was not stored because the server was out of resources (queue full, time out, or
    /// a film above the size limits).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>A9xx: the instance does not conform to its SOP Class. Also used when its Study Instance UID differs
    /// from the study named in the request URL (PS3.18 10.5: such an instance is not stored).</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>Cxxx: the part cannot be understood (not DICOM, malformed, no SOP Instance UID, undecodable pixels).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>C122: the instance's transfer syntax cannot be decoded here.</summary>
    public const ushort ReferencedTransferSyntaxNotSupported = 0xC122;

    /// <summary>0110: a general failure while processing the instance.</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>0122: the instance is not an image (SR, presentation state, ...): only films are screened.</summary>
    public const ushort ReferencedSopClassNotSupported = 0x0122;

    /// <summary>The reason for a film the screening refused, by its stable error code.</summary>
    public static ushort ForFilmError(string code) => code switch
    {
        ErrorCodes.UnsupportedTransferSyntax => ReferencedTransferSyntaxNotSupported,
        ErrorCodes.DicomNoPixelData => ReferencedSopClassNotSupported,
        ErrorCodes.FileTooLarge or ErrorCodes.ImageTooLarge => OutOfResources,
        ErrorCodes.EmptyFile or ErrorCodes.UnsupportedFormat or ErrorCodes.CorruptImage or ErrorCodes.TruncatedImage
            or ErrorCodes.DicomMalformed or ErrorCodes.UnsupportedPhotometric or ErrorCodes.UnsupportedPixelFormat => CannotUnderstand,
        ApiErrorCodes.QueueFull or ApiErrorCodes.Timeout => OutOfResources,
        _ => ProcessingFailure,
    };
}
