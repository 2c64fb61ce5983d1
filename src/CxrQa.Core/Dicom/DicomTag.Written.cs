namespace CxrQa.Core.Dicom;

// Attributes the result-object writer sets (file meta, patient/study copies, SR and SC modules), named as in PS3.6.
internal readonly partial record struct DicomTag
{
    // File Meta Information (group 0002)
    public static readonly DicomTag FileMetaInformationGroupLength = new(0x0002, 0x0000);
    public static readonly DicomTag FileMetaInformationVersion = new(0x0002, 0x0001);
    public static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);
    public static readonly DicomTag MediaStorageSopInstanceUid = new(0x0002, 0x0003);
    public static readonly DicomTag ImplementationClassUid = new(0x0002, 0x0012);
    public static readonly DicomTag ImplementationVersionName = new(0x0002, 0x0013);

    // SOP Common
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    public static readonly DicomTag ImageType = new(0x0008, 0x0008);
    public static readonly DicomTag InstanceCreationDate = new(0x0008, 0x0012);
    public static readonly DicomTag InstanceCreationTime = new(0x0008, 0x0013);
    public static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    public static readonly DicomTag CodingSchemeIdentificationSequence = new(0x0008, 0x0110);
    public static readonly DicomTag TimezoneOffsetFromUtc = new(0x0008, 0x0201);

    // Dates, times and identifiers of study, series and content
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    public static readonly DicomTag SeriesDate = new(0x0008, 0x0021);
    public static readonly DicomTag ContentDate = new(0x0008, 0x0023);
    public static readonly DicomTag StudyTime = new(0x0008, 0x0030);
    public static readonly DicomTag SeriesTime = new(0x0008, 0x0031);
    public static readonly DicomTag ContentTime = new(0x0008, 0x0033);
    public static readonly DicomTag AccessionNumber = new(0x0008, 0x0050);
    public static readonly DicomTag Manufacturer = new(0x0008, 0x0070);
    public static readonly DicomTag InstitutionName = new(0x0008, 0x0080);
    public static readonly DicomTag ReferringPhysicianName = new(0x0008, 0x0090);
    public static readonly DicomTag StudyDescription = new(0x0008, 0x1030);
    public static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);
    public static readonly DicomTag ManufacturerModelName = new(0x0008, 0x1090);
    public static readonly DicomTag ReferencedPerformedProcedureStepSequence = new(0x0008, 0x1111);
    public static readonly DicomTag ReferencedSeriesSequence = new(0x0008, 0x1115);
    public static readonly DicomTag ReferencedSopClassUid = new(0x0008, 0x1150);
    public static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);
    public static readonly DicomTag ReferencedSopSequence = new(0x0008, 0x1199);
    public static readonly DicomTag DerivationDescription = new(0x0008, 0x2111);
    public static readonly DicomTag SourceImageSequence = new(0x0008, 0x2112);

    // Code Sequence Macro and template identification
    public static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    public static readonly DicomTag CodingSchemeDesignator = new(0x0008, 0x0102);
    public static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);
    public static readonly DicomTag MappingResource = new(0x0008, 0x0105);
    public static readonly DicomTag CodingSchemeName = new(0x0008, 0x0115);
    public static readonly DicomTag CodingSchemeResponsibleOrganization = new(0x0008, 0x0116);
    public static readonly DicomTag MappingResourceUid = new(0x0008, 0x0118);
    public static readonly DicomTag TemplateIdentifier = new(0x0040, 0xDB00);

    // Patient, Patient Study
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);
    public static readonly DicomTag IssuerOfPatientId = new(0x0010, 0x0021);
    public static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);
    public static readonly DicomTag PatientSex = new(0x0010, 0x0040);
    public static readonly DicomTag PatientAge = new(0x0010, 0x1010);
    public static readonly DicomTag PatientSize = new(0x0010, 0x1020);
    public static readonly DicomTag PatientWeight = new(0x0010, 0x1030);

    // Equipment
    public static readonly DicomTag SoftwareVersions = new(0x0018, 0x1020);
    public static readonly DicomTag ConversionType = new(0x0008, 0x0064);
    public static readonly DicomTag DateOfSecondaryCapture = new(0x0018, 0x1012);
    public static readonly DicomTag TimeOfSecondaryCapture = new(0x0018, 0x1014);
    public static readonly DicomTag SecondaryCaptureDeviceManufacturer = new(0x0018, 0x1016);
    public static readonly DicomTag SecondaryCaptureDeviceManufacturerModelName = new(0x0018, 0x1018);
    public static readonly DicomTag SecondaryCaptureDeviceSoftwareVersions = new(0x0018, 0x1019);
    public static readonly DicomTag ContributingEquipmentSequence = new(0x0018, 0xA001);
    public static readonly DicomTag ContributionDateTime = new(0x0018, 0xA002);
    public static readonly DicomTag ContributionDescription = new(0x0018, 0xA003);

    // Study, series, instance identity
    public static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);
    public static readonly DicomTag StudyId = new(0x0020, 0x0010);
    public static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);
    public static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    public static readonly DicomTag PatientOrientation = new(0x0020, 0x0020);
    public static readonly DicomTag Laterality = new(0x0020, 0x0060);
    public static readonly DicomTag BurnedInAnnotation = new(0x0028, 0x0301);

    // SR Document General and Document Content
    public static readonly DicomTag PurposeOfReferenceCodeSequence = new(0x0040, 0xA170);
    public static readonly DicomTag RelationshipType = new(0x0040, 0xA010);
    public static readonly DicomTag VerifyingOrganization = new(0x0040, 0xA027);
    public static readonly DicomTag VerificationDateTime = new(0x0040, 0xA030);
    public static readonly DicomTag ValueType = new(0x0040, 0xA040);
    public static readonly DicomTag ConceptNameCodeSequence = new(0x0040, 0xA043);
    public static readonly DicomTag ContinuityOfContent = new(0x0040, 0xA050);
    public static readonly DicomTag VerifyingObserverSequence = new(0x0040, 0xA073);
    public static readonly DicomTag VerifyingObserverName = new(0x0040, 0xA075);
    public static readonly DicomTag VerifyingObserverIdentificationCodeSequence = new(0x0040, 0xA088);
    public static readonly DicomTag PersonName = new(0x0040, 0xA123);
    public static readonly DicomTag Uid = new(0x0040, 0xA124);
    public static readonly DicomTag TextValue = new(0x0040, 0xA160);
    public static readonly DicomTag FloatingPointValue = new(0x0040, 0xA161);
    public static readonly DicomTag ConceptCodeSequence = new(0x0040, 0xA168);
    public static readonly DicomTag MeasuredValueSequence = new(0x0040, 0xA300);
    public static readonly DicomTag NumericValue = new(0x0040, 0xA30A);
    public static readonly DicomTag MeasurementUnitsCodeSequence = new(0x0040, 0x08EA);
    public static readonly DicomTag PredecessorDocumentsSequence = new(0x0040, 0xA360);
    public static readonly DicomTag PerformedProcedureCodeSequence = new(0x0040, 0xA372);
    public static readonly DicomTag CurrentRequestedProcedureEvidenceSequence = new(0x0040, 0xA375);
    public static readonly DicomTag CompletionFlag = new(0x0040, 0xA491);
    public static readonly DicomTag VerificationFlag = new(0x0040, 0xA493);
    public static readonly DicomTag ContentTemplateSequence = new(0x0040, 0xA504);
    public static readonly DicomTag ContentSequence = new(0x0040, 0xA730);
}
