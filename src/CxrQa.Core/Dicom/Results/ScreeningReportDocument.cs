using CxrQa.Domain;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// The screening answer as a Comprehensive SR (1.2.840.10008.5.1.4.1.1.88.33) in the shape of TID 1500 (Measurement
/// Report): language, device observer, procedure reported, an image library holding the film, the calibrated
/// probability as a NUM under Imaging Measurements, and under Qualitative Evaluations the finding (Pneumonia present
/// or absent), the routing status and each reason. The verified variant adds the radiologist's review with its own
/// person observer, sets VerificationFlag VERIFIED with the Verifying Observer, and references the unverified report
/// as its predecessor.
/// </summary>
internal static class ScreeningReportDocument
{
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.88.33";
    public const int SeriesNumber = 9701;
    public const int VerifiedSeriesNumber = 9703;

    public static WritableDataset Create(
        ResultObjectsOptions options, SourceFilm film, ScreeningReport report, ObjectIdentity identity,
        InstanceReference? filmReference, Verified? verified)
    {
        var contentAt = verified?.Verification.VerifiedAt ?? report.ScreenedAt;
        var ds = ResultObjectHeader.Create(options, film, report, identity, contentAt, "SR",
            verified is null ? SeriesNumber : VerifiedSeriesNumber,
            verified is null ? "AI pneumonia screen" : "AI pneumonia screen, verified");

        // SR Document Series and SR Document General (PS3.3 C.17.1, C.17.2)
        ds.Sequence(DicomTag.ReferencedPerformedProcedureStepSequence)
            .Text(DicomTag.CompletionFlag, "CS", "COMPLETE")
            .Text(DicomTag.VerificationFlag, "CS", verified is null ? "UNVERIFIED" : "VERIFIED")
            .Sequence(DicomTag.PerformedProcedureCodeSequence, ResultCodes.PlainChestXRay.ToItem())
            .Sequence(DicomTag.CodingSchemeIdentificationSequence, new WritableDataset()
                .Text(DicomTag.CodingSchemeDesignator, "SH", ResultCodes.LocalScheme)
                .Text(DicomTag.CodingSchemeName, "ST", ResultCodes.LocalSchemeName)
                .Text(DicomTag.CodingSchemeResponsibleOrganization, "ST", DicomText.Fit("ST", options.Manufacturer)));
        if (filmReference is not null)
            ds.Sequence(DicomTag.CurrentRequestedProcedureEvidenceSequence, filmReference.ToStudyItem());
        if (verified is not null)
        {
            var v = verified.Verification;
            ds.Sequence(DicomTag.VerifyingObserverSequence, new WritableDataset()
                    .Text(DicomTag.VerifyingObserverName, "PN", DicomText.FitPersonName(v.ObserverName))
                    .Sequence(DicomTag.VerifyingObserverIdentificationCodeSequence)
                    .Text(DicomTag.VerifyingOrganization, "LO", DicomText.Fit("LO", v.Organization))
                    .Text(DicomTag.VerificationDateTime, "DT", DicomText.DateTime(v.VerifiedAt)))
                .Sequence(DicomTag.PredecessorDocumentsSequence, verified.Predecessor.ToStudyItem());
        }

        SrContentItems.Root(ds, ResultCodes.ImagingMeasurementReport, "1500", Content(options, report, filmReference, verified?.Verification));
        ResultObjectHeader.DeclareCharacterSet(ds);
        return ds;
    }

    /// <summary>What makes a report the verified one: the decision and the unverified report it amends.</summary>
    public sealed record Verified(ReviewVerification Verification, InstanceReference Predecessor);

    private static IEnumerable<WritableDataset> Content(
        ResultObjectsOptions options, ScreeningReport report, InstanceReference? film, ReviewVerification? verification)
    {
        yield return SrContentItems.Code(Relationship.HasConceptMod, ResultCodes.LanguageOfContent, ResultCodes.EnglishUnitedStates);

        // TID 1004 device observer: the model is the observer of everything outside the radiologist's container.
        yield return SrContentItems.Code(Relationship.HasObsContext, ResultCodes.ObserverType, ResultCodes.Device);
        yield return SrContentItems.UidRef(Relationship.HasObsContext, ResultCodes.DeviceObserverUid, DeviceObserverUid(options, report));
        yield return SrContentItems.Text(Relationship.HasObsContext, ResultCodes.DeviceObserverName, $"{report.Model.Name} {report.Model.Version}");
        yield return SrContentItems.Text(Relationship.HasObsContext, ResultCodes.DeviceObserverManufacturer, options.Manufacturer);
        yield return SrContentItems.Text(Relationship.HasObsContext, ResultCodes.DeviceObserverModelName, options.ManufacturerModelName);
        yield return SrContentItems.Text(Relationship.HasObsContext, ResultCodes.CaseId, report.CaseId);

        yield return SrContentItems.Code(Relationship.HasConceptMod, ResultCodes.ProcedureReported, ResultCodes.PlainChestXRay);

        if (film is not null)
        {
            yield return SrContentItems.Container(Relationship.Contains, ResultCodes.ImageLibrary,
                [SrContentItems.Container(Relationship.Contains, ResultCodes.ImageLibraryGroup,
                    [SrContentItems.Image(Relationship.Contains, film)])]);
        }

        // A container may not be empty: a film that was not screened has no Imaging Measurements at all.
        if (report.PneumoniaProbability is { } p)
        {
            yield return SrContentItems.Container(Relationship.Contains, ResultCodes.ImagingMeasurements,
                [SrContentItems.Num(Relationship.Contains, ResultCodes.PneumoniaProbability, p, ResultCodes.Probability, Algorithm(report, film))]);
        }

        yield return SrContentItems.Container(Relationship.Contains, ResultCodes.QualitativeEvaluations, Evaluations(report, film));

        if (verification is not null)
        {
            yield return SrContentItems.Container(Relationship.Contains, ResultCodes.RadiologistReview,
            [
                // TID 1003 person observer: the radiologist observes only what this container holds.
                SrContentItems.Code(Relationship.HasObsContext, ResultCodes.ObserverType, ResultCodes.Person),
                SrContentItems.PersonName(Relationship.HasObsContext, ResultCodes.PersonObserverName, verification.ObserverName),
                SrContentItems.Text(Relationship.HasObsContext, ResultCodes.PersonObserverOrganization, verification.Organization),
                SrContentItems.Code(Relationship.Contains, ResultCodes.RadiologistLabel, ResultCodes.Label(verification.Label)),
            ]);
        }
    }

    private static IEnumerable<WritableDataset> Evaluations(ScreeningReport report, InstanceReference? film)
    {
        if (report.Finding is { } finding)
        {
            yield return SrContentItems.Code(Relationship.Contains, ResultCodes.Pneumonia,
                finding == ScreeningClass.Pneumonia ? ResultCodes.Present : ResultCodes.Absent, Algorithm(report, film));
        }
        else
        {
            yield return SrContentItems.Text(Relationship.Contains, ResultCodes.NotScreened,
                "The film was not screened: no finding is reported");
        }

        yield return SrContentItems.Code(Relationship.Contains, ResultCodes.RoutingStatus, ResultCodes.Status(report.Status));
        foreach (var reason in report.Reasons)
            yield return SrContentItems.Text(Relationship.Contains, ResultCodes.RoutingReason, $"{reason.Code}: {reason.Text}");
    }

    /// <summary>TID 4019 Algorithm Identification, and the film the value was inferred from.</summary>
    private static IEnumerable<WritableDataset> Algorithm(ScreeningReport report, InstanceReference? film)
    {
        yield return SrContentItems.Text(Relationship.HasConceptMod, ResultCodes.AlgorithmName, report.Model.Name);
        yield return SrContentItems.Text(Relationship.HasConceptMod, ResultCodes.AlgorithmVersion, report.Model.Version);
        if (film is not null)
            yield return SrContentItems.Image(Relationship.InferredFrom, film);
    }

    /// <summary>One device observer per manufacturer, model name and model bundle version.</summary>
    private static string DeviceObserverUid(ResultObjectsOptions options, ScreeningReport report) =>
        ResultUids.FromName($"device-observer/{options.Manufacturer}/{options.ManufacturerModelName}/{report.Model.Name}/{report.Model.Version}");
}
