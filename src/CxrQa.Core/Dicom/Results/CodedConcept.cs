namespace CxrQa.Core.Dicom.Results;

/// <summary>A coded concept: the Code Sequence Macro's Code Value, Coding Scheme Designator and Code Meaning.</summary>
internal sealed record CodedConcept(string Value, string Scheme, string Meaning)
{
    public WritableDataset ToItem() => new WritableDataset()
        .Text(DicomTag.CodeValue, "SH", Value)
        .Text(DicomTag.CodingSchemeDesignator, "SH", Scheme)
        .Text(DicomTag.CodeMeaning, "LO", Meaning);
}
