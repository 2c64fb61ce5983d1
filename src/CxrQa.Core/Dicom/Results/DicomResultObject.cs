namespace CxrQa.Core.Dicom.Results;

/// <summary>One DICOM object ready to send (STOW-RS part, C-STORE, file): its identity and its Part-10 bytes
/// (Explicit VR Little Endian, preamble + "DICM" + file meta).</summary>
public sealed record DicomResultObject(
    ResultObjectKind Kind,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string SopClassUid,
    byte[] Part10)
{
    /// <summary>Media type of <see cref="Part10"/>.</summary>
    public const string ContentType = "application/dicom";
}
