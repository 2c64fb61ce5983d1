namespace CxrQa.Core.Imaging;

/// <summary>What the decoder learned about a film besides its pixels; the quality gate reads it.</summary>
/// <param name="Format">Container format detected from the bytes.</param>
/// <param name="OriginalWidth">Width of the stored image before any resizing.</param>
/// <param name="OriginalHeight">Height of the stored image before any resizing.</param>
/// <param name="BitsStored">Significant bits per sample in the source (8 for JPEG; the bit depth for PNG, or for a 16-bit
/// grey PNG its sBIT grey value when present; 8..16 for DICOM).</param>
/// <param name="Channels">Samples per pixel in the source (1 gray, 3 RGB, 4 RGBA).</param>
/// <param name="Colourfulness">Mean absolute chroma of the source in 0..255 levels (0 for a true grayscale film);
/// a photograph scores high. Computed before the conversion to gray.</param>
/// <param name="Dicom">Header facts when the film is DICOM, else null.</param>
public sealed record FilmMetadata(
    ImageFormat Format,
    int OriginalWidth,
    int OriginalHeight,
    int BitsStored,
    int Channels,
    double Colourfulness,
    DicomFacts? Dicom);

/// <summary>DICOM header facts the quality gate and the audit trail need. No patient identifiers here by design:
/// PHI stays out of anything that may be logged or returned to a non-reviewer.</summary>
public sealed record DicomFacts(
    string TransferSyntaxUid,
    string TransferSyntaxName,
    string? Modality,
    string? BodyPartExamined,
    string? ViewPosition,
    string PhotometricInterpretation,
    int BitsAllocated,
    int BitsStored,
    int SamplesPerPixel,
    int NumberOfFrames,
    bool WindowFromHeader);
