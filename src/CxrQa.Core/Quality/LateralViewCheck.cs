using CxrQa.Core.Imaging;

namespace CxrQa.Core.Quality;

/// <summary>lateral_view: the model was trained on frontal films only. The DICOM ViewPosition is believed when
/// present; otherwise (and for JPEG/PNG) a left-right symmetry heuristic may flag it.</summary>
public static class LateralViewCheck
{
    public static bool HeaderSaysLateral(DicomFacts? dicom, QualityGateOptions options) =>
        dicom?.ViewPosition is { } view
        && options.LateralViewPositions.Any(v => string.Equals(v, view.Trim(), StringComparison.OrdinalIgnoreCase));

    public static bool LooksLateral(double? mirrorCorrelation, QualityGateOptions options) =>
        mirrorCorrelation is { } r && r < options.MinMirrorCorrelation;
}
