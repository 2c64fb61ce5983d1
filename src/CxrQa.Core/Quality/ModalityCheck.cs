using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>not_chest_modality: the DICOM header says this is not a chest radiograph (CT, MR, ultrasound,
/// mammography, a photo, or a radiograph of another body part). Absent or empty attributes say nothing: many
/// real chest films omit BodyPartExamined, and JPEG/PNG have no header at all.</summary>
public static class ModalityCheck
{
    public static bool IsNotChest(DicomFacts? dicom, QualityGateOptions options) =>
        dicom is not null
        && (IsOutside(dicom.Modality, options.ChestModalities) || IsOutside(dicom.BodyPartExamined, options.ChestBodyParts));

    /// <summary>True when the value is present and matches none of the accepted ones (case-insensitive, trimmed).</summary>
    public static bool IsOutside(string? value, IReadOnlyList<string> accepted)
    {
        var trimmed = value?.Trim();
        return !string.IsNullOrEmpty(trimmed) && !accepted.Any(a => string.Equals(a, trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
