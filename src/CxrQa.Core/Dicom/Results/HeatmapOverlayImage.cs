namespace CxrQa.Core.Dicom.Results;

/// <summary>
/// The Grad-CAM overlay as a Secondary Capture Image (1.2.840.10008.5.1.4.1.1.7): 8-bit RGB, PlanarConfiguration 0,
/// at the film's size, with the SC Equipment module (ConversionType WSD: made on a workstation) and a Source Image
/// Sequence pointing at the film it was derived from.
/// </summary>
internal static class HeatmapOverlayImage
{
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.7";
    public const int SeriesNumber = 9702;

    public static WritableDataset Create(
        ResultObjectsOptions options, SourceFilm film, ScreeningReport report, ObjectIdentity identity,
        InstanceReference? filmReference, RgbFrame overlay)
    {
        overlay.Validate();
        var at = report.ScreenedAt;
        var ds = ResultObjectHeader.Create(options, film, report, identity, at, "OT", SeriesNumber, "AI heatmap (Grad-CAM)");
        film.CopyPatientOrientation(ds);
        // General Series: Laterality is type 2C for paired body parts; a chest is not one, but dciodvfy cannot know
        // that from an SC object, and an empty value is always allowed.
        ds.Empty(DicomTag.Laterality, "CS");

        // SC Equipment (C.8.6.1) and SC Image (C.8.6.2)
        ds.Text(DicomTag.ConversionType, "CS", "WSD")
            .Text(DicomTag.SecondaryCaptureDeviceManufacturer, "LO", DicomText.Fit("LO", options.Manufacturer))
            .Text(DicomTag.SecondaryCaptureDeviceManufacturerModelName, "LO", DicomText.Fit("LO", options.ManufacturerModelName))
            .Text(DicomTag.SecondaryCaptureDeviceSoftwareVersions, "LO", ResultObjectHeader.SoftwareVersions(report))
            .Text(DicomTag.DateOfSecondaryCapture, "DA", DicomText.Date(at))
            .Text(DicomTag.TimeOfSecondaryCapture, "TM", DicomText.Time(at));

        // General Image (C.7.6.1)
        ds.Text(DicomTag.ImageType, "CS", "DERIVED", "SECONDARY")
            .Text(DicomTag.DerivationDescription, "ST",
                DicomText.Fit("ST", $"Grad-CAM heatmap of {report.Model.Name} {report.Model.Version} blended over the contrast-enhanced film"))
            .Text(DicomTag.BurnedInAnnotation, "CS", "NO");
        if (filmReference is not null)
            ds.Sequence(DicomTag.SourceImageSequence, filmReference.ToSopItem());

        // Image Pixel (C.7.6.3)
        ds.UInt16(DicomTag.SamplesPerPixel, 3)
            .Text(DicomTag.PhotometricInterpretation, "CS", "RGB")
            .UInt16(DicomTag.PlanarConfiguration, 0)
            .UInt16(DicomTag.Rows, (ushort)overlay.Height)
            .UInt16(DicomTag.Columns, (ushort)overlay.Width)
            .UInt16(DicomTag.BitsAllocated, 8)
            .UInt16(DicomTag.BitsStored, 8)
            .UInt16(DicomTag.HighBit, 7)
            .UInt16(DicomTag.PixelRepresentation, 0)
            .Bytes(DicomTag.PixelData, "OB", overlay.Rgb);

        ResultObjectHeader.DeclareCharacterSet(ds);
        return ds;
    }
}
