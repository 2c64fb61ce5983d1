using CxrQa.Domain;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// The codes the result objects use: DICOM (DCM), SNOMED CT (SCT), UMLS and UCUM codes as TID 1500 and its
/// sub-templates name them, and a few local codes (coding scheme 99CXRQA, described in the objects' Coding Scheme
/// Identification Sequence) for what no standard code says: the routing status, its reasons and the case id.
/// </summary>
internal static class ResultCodes
{
    public const string LocalScheme = "99CXRQA";
    public const string LocalSchemeName = "CxrQa local codes";

    // TID 1500 Measurement Report and its document title
    public static readonly CodedConcept ImagingMeasurementReport = new("126000", "DCM", "Imaging Measurement Report");
    public static readonly CodedConcept LanguageOfContent = new("121049", "DCM", "Language of Content Item and Descendants");
    public static readonly CodedConcept EnglishUnitedStates = new("en-US", "RFC5646", "English (United States)");
    public static readonly CodedConcept ProcedureReported = new("121058", "DCM", "Procedure reported");
    public static readonly CodedConcept PlainChestXRay = new("399208008", "SCT", "Plain chest X-ray");
    public static readonly CodedConcept ImageLibrary = new("111028", "DCM", "Image Library");
    public static readonly CodedConcept ImageLibraryGroup = new("126200", "DCM", "Image Library Group");
    public static readonly CodedConcept ImagingMeasurements = new("126010", "DCM", "Imaging Measurements");
    public static readonly CodedConcept QualitativeEvaluations = new("C0034375", "UMLS", "Qualitative Evaluations");

    // TID 1002 Observer Context: TID 1004 device and TID 1003 person observers
    public static readonly CodedConcept ObserverType = new("121005", "DCM", "Observer Type");
    public static readonly CodedConcept Device = new("121007", "DCM", "Device");
    public static readonly CodedConcept Person = new("121006", "DCM", "Person");
    public static readonly CodedConcept DeviceObserverUid = new("121012", "DCM", "Device Observer UID");
    public static readonly CodedConcept DeviceObserverName = new("121013", "DCM", "Device Observer Name");
    public static readonly CodedConcept DeviceObserverManufacturer = new("121014", "DCM", "Device Observer Manufacturer");
    public static readonly CodedConcept DeviceObserverModelName = new("121015", "DCM", "Device Observer Model Name");
    public static readonly CodedConcept PersonObserverName = new("121008", "DCM", "Person Observer Name");
    public static readonly CodedConcept PersonObserverOrganization = new("121009", "DCM", "Person Observer's Organization Name");

    // TID 4019 Algorithm Identification
    public static readonly CodedConcept AlgorithmName = new("111001", "DCM", "Algorithm Name");
    public static readonly CodedConcept AlgorithmVersion = new("111003", "DCM", "Algorithm Version");

    // Findings and their values
    public static readonly CodedConcept Pneumonia = new("233604007", "SCT", "Pneumonia");
    public static readonly CodedConcept Present = new("52101004", "SCT", "Present");
    public static readonly CodedConcept Absent = new("2667000", "SCT", "Absent");
    public static readonly CodedConcept Normal = new("17621005", "SCT", "Normal");
    public static readonly CodedConcept Probability = new("{probability}", "UCUM", "probability");

    // Equipment
    public static readonly CodedConcept ProcessingEquipment = new("109102", "DCM", "Processing Equipment");

    // Local codes
    public static readonly CodedConcept PneumoniaProbability = new("PNEUMONIA_PROB", LocalScheme, "Calibrated probability of pneumonia");
    public static readonly CodedConcept RoutingStatus = new("ROUTING_STATUS", LocalScheme, "Routing status");
    public static readonly CodedConcept RoutingReason = new("ROUTING_REASON", LocalScheme, "Reason for radiologist review");
    public static readonly CodedConcept CaseId = new("CASE_ID", LocalScheme, "CxrQa case id");
    public static readonly CodedConcept NotScreened = new("NOT_SCREENED", LocalScheme, "Film not screened");
    public static readonly CodedConcept RadiologistReview = new("RAD_REVIEW", LocalScheme, "Radiologist review");
    public static readonly CodedConcept RadiologistLabel = new("RAD_LABEL", LocalScheme, "Radiologist's label");
    public static readonly CodedConcept Unreadable = new("UNREADABLE", LocalScheme, "Unreadable film");

    /// <summary>The routing status as a code whose value is the status string clients already match on.</summary>
    public static CodedConcept Status(CaseStatus status)
    {
        var value = new RoutingDecision(status, []).StatusText;
        return new CodedConcept(value, LocalScheme, status == CaseStatus.Automated ? "Automated answer" : "Pending radiologist review");
    }

    public static CodedConcept Label(ReviewLabel label) => label switch
    {
        ReviewLabel.Normal => Normal,
        ReviewLabel.Pneumonia => Pneumonia,
        ReviewLabel.Unreadable => Unreadable,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "unknown radiologist label"),
    };
}
