namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// Builds the DICOM result objects of a screened film: a Comprehensive SR with the finding, probability and routing,
/// a Secondary Capture of the Grad-CAM overlay, and after review the amended (VERIFIED) SR. The objects join the
/// film's own study, each kind in its own series; every UID is derived from the case id, so building again (a retry)
/// gives the same UIDs and the same bytes, never a duplicate object in the PACS. Pure: no I/O, no clock.
/// </summary>
public sealed class ResultObjectsBuilder(ResultObjectsOptions options)
{
    public ResultObjectsOptions Options { get; } = options;

    /// <summary>The screening report (SR) and, when <paramref name="overlay"/> is given, the overlay (SC).</summary>
    /// <param name="sourceFilm">The film's DICOM file as received (Part 10 or bare dataset, any transfer syntax).</param>
    /// <exception cref="Errors.CxrQaException">The film is not DICOM (unsupported_format) or is malformed.</exception>
    public IReadOnlyList<DicomResultObject> Build(ReadOnlyMemory<byte> sourceFilm, ScreeningReport report, RgbFrame? overlay) =>
        throw new NotImplementedException();

    /// <summary>The amended report after the radiologist's decision: VERIFIED, with the verifying observer, the
    /// radiologist's label and a Predecessor Documents reference to the unverified report of the same case.</summary>
    public DicomResultObject BuildVerifiedReport(ReadOnlyMemory<byte> sourceFilm, ScreeningReport report, ReviewVerification verification) =>
        throw new NotImplementedException();
}
