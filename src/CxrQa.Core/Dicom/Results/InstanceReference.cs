namespace CxrQa.Core.Dicom.Results;

/// <summary>Where an instance lives: study, series and SOP identity (the Hierarchical SOP Instance Reference Macro).</summary>
internal sealed record InstanceReference(string StudyInstanceUid, string SeriesInstanceUid, string SopClassUid, string SopInstanceUid)
{
    /// <summary>A Referenced SOP Sequence item: class and instance.</summary>
    public WritableDataset ToSopItem() => new WritableDataset()
        .Text(DicomTag.ReferencedSopClassUid, "UI", SopClassUid)
        .Text(DicomTag.ReferencedSopInstanceUid, "UI", SopInstanceUid);

    /// <summary>An item of a Hierarchical SOP Instance Reference sequence (evidence, predecessor documents).</summary>
    public WritableDataset ToStudyItem() => new WritableDataset()
        .Text(DicomTag.StudyInstanceUid, "UI", StudyInstanceUid)
        .Sequence(DicomTag.ReferencedSeriesSequence, new WritableDataset()
            .Text(DicomTag.SeriesInstanceUid, "UI", SeriesInstanceUid)
            .Sequence(DicomTag.ReferencedSopSequence, ToSopItem()));
}
