namespace CxrQa.Core.Dicom;

/// <summary>A linear VOI window (WindowCenter/WindowWidth), applied with the DICOM formula of PS3.3 C.11.2.1.2.1
/// to an output range of 0..255.</summary>
internal readonly record struct VoiWindow(double Center, double Width)
{
    /// <summary>First values of WindowCenter/WindowWidth when both are present and the width is valid (&gt;= 1).</summary>
    public static VoiWindow? From(DicomDataset ds) =>
        ds.GetNumber(DicomTag.WindowCenter) is { } c && ds.GetNumber(DicomTag.WindowWidth) is { } w && w >= 1
            ? new VoiWindow(c, w)
            : null;

    public double Apply(double x)
    {
        var lower = Center - 0.5 - (Width - 1) / 2;
        var upper = Center - 0.5 + (Width - 1) / 2;
        if (x <= lower)
            return 0;
        if (x > upper)
            return 255;
        // Width == 1 never gets here: lower == upper, so one of the branches above applies.
        return ((x - (Center - 0.5)) / (Width - 1) + 0.5) * 255;
    }
}
