using System.Text;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// The screened film's header as the result objects use it: its identity (study, series, SOP) and the Patient and
/// General Study attributes they copy. A value is copied only when it is valid for its VR (<see cref="DicomValueRules"/>)
/// after decoding in the film's own character set; an invalid or missing type 2 attribute is written empty and an
/// invalid type 3 attribute is left out, so a film's own header errors never reach the objects we write.
/// </summary>
internal sealed class SourceFilm
{
    private readonly DicomDataset _dataset;
    private readonly Encoding _characterSet;

    private SourceFilm(DicomDataset dataset)
    {
        _dataset = dataset;
        _characterSet = CharacterSetOf(RawText(DicomTag.SpecificCharacterSet, StrictAscii));
    }

    public static SourceFilm Read(ReadOnlyMemory<byte> file, DecodeLimits limits)
    {
        if (!DicomFilmReader.LooksLikeDicom(file.Span))
            throw new CxrQaException(ErrorCodes.UnsupportedFormat, "DICOM result objects are made only for DICOM films");
        return new SourceFilm(Part10File.Parse(file, limits).Dataset);
    }

    /// <summary>The film's Study Instance UID when valid; null otherwise.</summary>
    public string? StudyInstanceUid => Single(DicomTag.StudyInstanceUid, "UI");

    /// <summary>The film as an instance to reference; null when any of its UIDs (its study's included) is missing or
    /// invalid: a reference that names the wrong study would send a viewer looking in the wrong place.</summary>
    public InstanceReference? Reference =>
        StudyInstanceUid is { } studyInstanceUid
        && Single(DicomTag.SeriesInstanceUid, "UI") is { } series
        && Single(DicomTag.SopClassUid, "UI") is { } sopClass
        && Single(DicomTag.SopInstanceUid, "UI") is { } sopInstance
            ? new InstanceReference(studyInstanceUid, series, sopClass, sopInstance)
            : null;

    /// <summary>Copies the Patient, Patient Study (its valid values only) and General Study attributes other than the
    /// Study Instance UID, which the caller decides.</summary>
    public void CopyPatientAndStudy(WritableDataset target)
    {
        // Patient (PS3.3 C.7.1.1)
        Type2(target, DicomTag.PatientName, "PN");
        Type2(target, DicomTag.PatientId, "LO");
        Type3(target, DicomTag.IssuerOfPatientId, "LO");
        Type2(target, DicomTag.PatientBirthDate, "DA");
        var sex = Single(DicomTag.PatientSex, "CS");
        if (sex is "M" or "F" or "O")
            target.Text(DicomTag.PatientSex, "CS", sex);
        else
            target.Empty(DicomTag.PatientSex, "CS");

        // Patient Study (C.7.2.2), all type 3
        Type3(target, DicomTag.PatientAge, "AS");
        Type3(target, DicomTag.PatientSize, "DS");
        Type3(target, DicomTag.PatientWeight, "DS");

        // General Study (C.7.2.1)
        Type2(target, DicomTag.StudyDate, "DA");
        Type2(target, DicomTag.StudyTime, "TM");
        Type2(target, DicomTag.ReferringPhysicianName, "PN");
        Type2(target, DicomTag.StudyId, "SH");
        Type2(target, DicomTag.AccessionNumber, "SH");
        Type3(target, DicomTag.StudyDescription, "LO");
    }

    /// <summary>Patient Orientation (two CS values) when the film has a valid one; empty otherwise (type 2C in the
    /// General Image module of an image without Image Orientation (Patient)).</summary>
    public void CopyPatientOrientation(WritableDataset target)
    {
        var values = Values(DicomTag.PatientOrientation, "CS");
        if (values is { Length: 2 } && values.All(v => v.Length > 0))
            target.Text(DicomTag.PatientOrientation, "CS", values);
        else
            target.Empty(DicomTag.PatientOrientation, "CS");
    }

    private void Type2(WritableDataset target, DicomTag tag, string vr)
    {
        if (Single(tag, vr) is { } value)
            target.Text(tag, vr, value);
        else
            target.Empty(tag, vr);
    }

    private void Type3(WritableDataset target, DicomTag tag, string vr)
    {
        if (Single(tag, vr) is { } value)
            target.Text(tag, vr, value);
    }

    /// <summary>The one valid non-empty value of a single-valued attribute; null when absent, empty, multi-valued or invalid.</summary>
    private string? Single(DicomTag tag, string vr) =>
        Values(tag, vr) is [{ Length: > 0 } value] ? value : null;

    /// <summary>All values, each valid for the VR; null when absent, empty, undecodable or any value is invalid.</summary>
    private string[]? Values(DicomTag tag, string vr)
    {
        var encoding = ValueRepresentation.UsesCharacterSet(vr) ? _characterSet : StrictAscii;
        if (RawText(tag, encoding) is not { Length: > 0 } text)
            return null;
        var values = text.Split('\\').Select(v => v.Trim(' ', '\0')).ToArray();
        return values.All(v => DicomValueRules.IsValid(vr, v)) ? values : null;
    }

    private string? RawText(DicomTag tag, Encoding encoding)
    {
        if (_dataset.Find(tag) is not { Length: > 0, Items.Count: 0 } element)
            return null;
        try
        {
            return encoding.GetString(_dataset.Value(element).Span);
        }
        catch (DecoderFallbackException)
        {
            return null; // bytes that are not text in the declared character set are never copied
        }
    }

    private static readonly Encoding StrictAscii = Encoding.GetEncoding("us-ascii", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>How the film's text decodes: the default repertoire, ISO_IR 100 (Latin-1) or ISO_IR 192 (UTF-8).
    /// Other character sets (code extensions, multi-byte national sets) decode as ASCII, so a value with other bytes
    /// is not copied rather than copied wrongly.</summary>
    private static Encoding CharacterSetOf(string? specificCharacterSet) =>
        specificCharacterSet?.Split('\\')[0].Trim() switch
        {
            "ISO_IR 100" => Encoding.Latin1,
            "ISO_IR 192" => StrictUtf8,
            _ => StrictAscii,
        };
}
