using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom;

/// <summary>
/// Which DICOM instance a file is: the SOP Common Module's SOP Class UID and SOP Instance UID and the study and series
/// it belongs to (PS3.3 C.12.1, C.7.2.1, C.7.3.1). UIDs only: no patient attribute is read, so this can be logged
/// neither more nor less safely than a UID.
/// </summary>
public sealed record DicomInstanceIdentity(string SopClassUid, string SopInstanceUid, string? StudyInstanceUid, string? SeriesInstanceUid)
{
    /// <summary>Manufacturer (0008,0070) of the equipment that made the instance: with <see cref="SeriesNumber"/>, what
    /// tells CxrQa's own result objects apart (<see cref="Results.OwnResultObjects"/>).</summary>
    public string? Manufacturer { get; init; }

    /// <summary>Series Number (0020,0011).</summary>
    public int? SeriesNumber { get; init; }

    private static readonly DicomTag SopClassUidTag = new(0x0008, 0x0016);
    private static readonly DicomTag SopInstanceUidTag = new(0x0008, 0x0018);
    private static readonly DicomTag StudyInstanceUidTag = new(0x0020, 0x000D);
    private static readonly DicomTag SeriesInstanceUidTag = new(0x0020, 0x000E);

    /// <summary>The identity of a Part-10 file (or bare dataset), parsed under <paramref name="limits"/>; null when the
    /// bytes are not DICOM or lack a SOP Class or SOP Instance UID (such an instance cannot be referred to).</summary>
    public static DicomInstanceIdentity? TryRead(ReadOnlyMemory<byte> bytes, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (bytes.IsEmpty || bytes.Length > limits.MaxFileBytes || !DicomFilmReader.LooksLikeDicom(bytes.Span))
            return null;
        try
        {
            var dataset = Part10File.Parse(bytes, limits).Dataset;
            return dataset.GetString(SopClassUidTag) is { } sopClass && dataset.GetString(SopInstanceUidTag) is { } sopInstance
                ? new DicomInstanceIdentity(sopClass, sopInstance, dataset.GetString(StudyInstanceUidTag), dataset.GetString(SeriesInstanceUidTag))
                {
                    Manufacturer = dataset.GetString(DicomTag.Manufacturer),
                    SeriesNumber = dataset.GetNumber(DicomTag.SeriesNumber) is { } n && n == Math.Floor(n) && Math.Abs(n) <= int.MaxValue ? (int)n : null,
                }
                : null;
        }
        catch (CxrQaException)
        {
            return null;
        }
    }
}
