namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// The attributes every result object shares: SOP Common (class, instance, creation time in UTC, character set),
/// Patient and General Study copied from the film (<see cref="SourceFilm"/>), the series, General Equipment and the
/// Contributing Equipment Sequence that names CxrQa and the model as the processing equipment (IHE AI Results).
/// </summary>
internal static class ResultObjectHeader
{
    /// <summary>Shown in every series description: these objects come from an AI screen, not from a diagnosis.</summary>
    public const string NotForDiagnosticUse = "NOT FOR DIAGNOSTIC USE";

    public static WritableDataset Create(
        ResultObjectsOptions options, SourceFilm film, ScreeningReport report, ObjectIdentity identity,
        DateTimeOffset contentAt, string modality, int seriesNumber, string seriesDescription)
    {
        var ds = new WritableDataset();
        film.CopyPatientAndStudy(ds);
        ds.Text(DicomTag.SopClassUid, "UI", identity.SopClassUid)
            .Text(DicomTag.SopInstanceUid, "UI", identity.SopInstanceUid)
            .Text(DicomTag.StudyInstanceUid, "UI", identity.StudyInstanceUid)
            .Text(DicomTag.SeriesInstanceUid, "UI", identity.SeriesInstanceUid)
            .Text(DicomTag.InstanceCreationDate, "DA", DicomText.Date(contentAt))
            .Text(DicomTag.InstanceCreationTime, "TM", DicomText.Time(contentAt))
            .Text(DicomTag.TimezoneOffsetFromUtc, "SH", DicomText.UtcOffset)
            .Text(DicomTag.ContentDate, "DA", DicomText.Date(contentAt))
            .Text(DicomTag.ContentTime, "TM", DicomText.Time(contentAt))
            .Text(DicomTag.SeriesDate, "DA", DicomText.Date(contentAt))
            .Text(DicomTag.SeriesTime, "TM", DicomText.Time(contentAt))
            .Text(DicomTag.Modality, "CS", modality)
            .Text(DicomTag.SeriesNumber, "IS", seriesNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Text(DicomTag.InstanceNumber, "IS", "1")
            .Text(DicomTag.SeriesDescription, "LO", DicomText.Fit("LO", $"{seriesDescription} - {NotForDiagnosticUse}"))
            .Text(DicomTag.Manufacturer, "LO", DicomText.Fit("LO", options.Manufacturer))
            .Text(DicomTag.ManufacturerModelName, "LO", DicomText.Fit("LO", options.ManufacturerModelName))
            .Text(DicomTag.SoftwareVersions, "LO", SoftwareVersions(report))
            .Sequence(DicomTag.ContributingEquipmentSequence, ContributingEquipment(options, report, contentAt));
        if (!string.IsNullOrWhiteSpace(options.InstitutionName))
            ds.Text(DicomTag.InstitutionName, "LO", DicomText.Fit("LO", options.InstitutionName));
        return ds;
    }

    /// <summary>Declares UTF-8 (ISO_IR 192) when any text needs more than ASCII; call once the data set is complete.</summary>
    public static void DeclareCharacterSet(WritableDataset ds)
    {
        if (ds.HasExtendedCharacters())
            ds.Text(DicomTag.SpecificCharacterSet, "CS", "ISO_IR 192");
    }

    /// <summary>CxrQa's version and the model's name and version, one LO value each.</summary>
    public static string[] SoftwareVersions(ScreeningReport report) =>
    [
        DicomText.Fit("LO", $"CxrQa {report.SoftwareVersion}"),
        DicomText.Fit("LO", $"{report.Model.Name} {report.Model.Version}"),
    ];

    private static WritableDataset ContributingEquipment(ResultObjectsOptions options, ScreeningReport report, DateTimeOffset at)
    {
        var item = new WritableDataset()
            .Sequence(DicomTag.PurposeOfReferenceCodeSequence, ResultCodes.ProcessingEquipment.ToItem())
            .Text(DicomTag.Manufacturer, "LO", DicomText.Fit("LO", options.Manufacturer))
            .Text(DicomTag.ManufacturerModelName, "LO", DicomText.Fit("LO", options.ManufacturerModelName))
            .Text(DicomTag.SoftwareVersions, "LO", SoftwareVersions(report))
            .Text(DicomTag.ContributionDateTime, "DT", DicomText.DateTime(at))
            .Text(DicomTag.ContributionDescription, "ST",
                DicomText.Fit("ST", $"AI pneumonia screening by {report.Model.Name} {report.Model.Version}; {NotForDiagnosticUse}"));
        if (!string.IsNullOrWhiteSpace(options.InstitutionName))
            item.Text(DicomTag.InstitutionName, "LO", DicomText.Fit("LO", options.InstitutionName));
        return item;
    }
}

/// <summary>The four UIDs of one object.</summary>
internal sealed record ObjectIdentity(string StudyInstanceUid, string SeriesInstanceUid, string SopClassUid, string SopInstanceUid)
{
    public static ObjectIdentity For(string caseId, ResultObjectKind kind, string studyInstanceUid, string sopClassUid) =>
        new(studyInstanceUid, ResultUids.Series(caseId, kind), sopClassUid, ResultUids.SopInstance(caseId, kind));

    public InstanceReference AsReference() => new(StudyInstanceUid, SeriesInstanceUid, SopClassUid, SopInstanceUid);
}
