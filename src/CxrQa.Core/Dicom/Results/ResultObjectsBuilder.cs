namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// Builds the DICOM result objects of a screened film: a Comprehensive SR with the finding, probability and routing,
/// a Secondary Capture of the Grad-CAM overlay, and after review the amended (VERIFIED) SR. The objects join the
/// film's own study (a study derived from the case when the film has no valid Study Instance UID), each kind in its
/// own series; every UID is derived from the case id and every time from the report, so building again (a retry)
/// gives the same UIDs and the same bytes, never a duplicate object in the PACS. Pure: no I/O, no clock.
/// </summary>
public sealed class ResultObjectsBuilder(ResultObjectsOptions options)
{
    public ResultObjectsOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The screening report (SR) and, when <paramref name="overlay"/> is given, the overlay (SC), in that order.</summary>
    /// <param name="sourceFilm">The film's DICOM file as received (Part 10 or bare dataset, any transfer syntax).</param>
    /// <exception cref="Errors.CxrQaException">The film is not DICOM (unsupported_format) or is malformed.</exception>
    /// <exception cref="ArgumentException">The report or the overlay is inconsistent.</exception>
    public IReadOnlyList<DicomResultObject> Build(ReadOnlyMemory<byte> sourceFilm, ScreeningReport report, RgbFrame? overlay)
    {
        Check(report);
        var film = SourceFilm.Read(sourceFilm, Options.Limits);
        return overlay is null ? [Report(film, report)] : [Report(film, report), Overlay(film, report, overlay)];
    }

    /// <summary>The screening report (SR) alone: what <see cref="Build"/> makes first.</summary>
    public DicomResultObject BuildReport(ReadOnlyMemory<byte> sourceFilm, ScreeningReport report)
    {
        Check(report);
        return Report(SourceFilm.Read(sourceFilm, Options.Limits), report);
    }

    /// <summary>The overlay (SC) alone: what <see cref="Build"/> makes second.</summary>
    public DicomResultObject BuildOverlay(ReadOnlyMemory<byte> sourceFilm, ScreeningReport report, RgbFrame overlay)
    {
        Check(report);
        ArgumentNullException.ThrowIfNull(overlay);
        return Overlay(SourceFilm.Read(sourceFilm, Options.Limits), report, overlay);
    }

    private DicomResultObject Report(SourceFilm film, ScreeningReport report)
    {
        var id = ObjectIdentity.For(report.CaseId, ResultObjectKind.ScreeningReport, StudyOf(film, report), ScreeningReportDocument.SopClassUid);
        return Finish(ResultObjectKind.ScreeningReport, id, ScreeningReportDocument.Create(Options, film, report, id, film.Reference, verified: null));
    }

    private DicomResultObject Overlay(SourceFilm film, ScreeningReport report, RgbFrame overlay)
    {
        var id = ObjectIdentity.For(report.CaseId, ResultObjectKind.HeatmapOverlay, StudyOf(film, report), HeatmapOverlayImage.SopClassUid);
        return Finish(ResultObjectKind.HeatmapOverlay, id, HeatmapOverlayImage.Create(Options, film, report, id, film.Reference, overlay));
    }

    /// <summary>The amended report after the radiologist's decision: VERIFIED, with the verifying observer, the
    /// radiologist's label and a Predecessor Documents reference to the unverified report of the same case (which
    /// <see cref="Build"/> makes from the same film and report).</summary>
    public DicomResultObject BuildVerifiedReport(ReadOnlyMemory<byte> sourceFilm, ScreeningReport report, ReviewVerification verification)
    {
        Check(report);
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentException.ThrowIfNullOrWhiteSpace(verification.ObserverName);
        ArgumentException.ThrowIfNullOrWhiteSpace(verification.Organization);
        var film = SourceFilm.Read(sourceFilm, Options.Limits);
        var study = StudyOf(film, report);

        var predecessor = ObjectIdentity.For(report.CaseId, ResultObjectKind.ScreeningReport, study, ScreeningReportDocument.SopClassUid);
        var id = ObjectIdentity.For(report.CaseId, ResultObjectKind.VerifiedReport, study, ScreeningReportDocument.SopClassUid);
        var verified = new ScreeningReportDocument.Verified(verification, predecessor.AsReference());
        return Finish(ResultObjectKind.VerifiedReport, id,
            ScreeningReportDocument.Create(Options, film, report, id, film.Reference, verified));
    }

    private static string StudyOf(SourceFilm film, ScreeningReport report) =>
        film.StudyInstanceUid ?? ResultUids.FallbackStudy(report.CaseId);

    private static DicomResultObject Finish(ResultObjectKind kind, ObjectIdentity id, WritableDataset dataset) =>
        new(kind, id.StudyInstanceUid, id.SeriesInstanceUid, id.SopInstanceUid, id.SopClassUid, Part10Writer.Write(dataset));

    private static void Check(ScreeningReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(report.CaseId);
        ArgumentNullException.ThrowIfNull(report.Model);
        ArgumentNullException.ThrowIfNull(report.Reasons);
        if (report.PneumoniaProbability is { } p && !(p >= 0 && p <= 1))
            throw new ArgumentException($"the pneumonia probability {p} is not in [0, 1]", nameof(report));
    }
}
