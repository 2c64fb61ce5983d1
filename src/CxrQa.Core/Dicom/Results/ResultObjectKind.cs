namespace CxrQa.Core.Dicom.Results;

/// <summary>The DICOM objects CxrQa writes back to the film's study. Each kind goes into its own series.</summary>
public enum ResultObjectKind
{
    /// <summary>The screening answer as a Comprehensive SR, VerificationFlag UNVERIFIED.</summary>
    ScreeningReport,

    /// <summary>The Grad-CAM overlay at the film's size as a Secondary Capture image (RGB).</summary>
    HeatmapOverlay,

    /// <summary>The screening report amended after a radiologist's decision, VerificationFlag VERIFIED.</summary>
    VerifiedReport,
}
