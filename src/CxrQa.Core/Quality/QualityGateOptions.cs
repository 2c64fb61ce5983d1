namespace CxrQa.Core.Quality;

/// <summary>Every threshold of the quality gate. Defaults and how they were measured: docs/quality-gate.md.</summary>
public sealed record QualityGateOptions
{
    /// <summary>too_small below this shorter side of the stored film, in pixels. The 224-px training films pass.</summary>
    public int MinSidePixels { get; init; } = 200;

    /// <summary>Levels at or below this count as black for blank_or_saturated.</summary>
    public int BlackLevel { get; init; } = 2;

    /// <summary>Levels at or above this count as white for blank_or_saturated.</summary>
    public int WhiteLevel { get; init; } = 253;

    /// <summary>blank_or_saturated when more than this fraction of pixels is black or white.</summary>
    public double MaxExtremeFraction { get; init; } = 0.90;

    /// <summary>blank_or_saturated when the standard deviation of the levels is below this (a nearly uniform image).</summary>
    public double MinStandardDeviation { get; init; } = 4.0;

    /// <summary>Lower percentile of the contrast spread, in 0..100.</summary>
    public double LowPercentile { get; init; } = 5;

    /// <summary>Upper percentile of the contrast spread, in 0..100.</summary>
    public double HighPercentile { get; init; } = 95;

    /// <summary>low_contrast when the spread between the two percentiles is below this many levels.</summary>
    public int MinPercentileSpread { get; init; } = 40;

    /// <summary>colour_image above this mean chroma (0..255). Gray films stored as RGB JPEG score about 3 or less.</summary>
    public double MaxColourfulness { get; init; } = 10;

    /// <summary>DICOM photometric interpretations that mean a colour image (prefix match, so YBR_FULL_422 etc. count).</summary>
    public IReadOnlyList<string> ColourPhotometricPrefixes { get; init; } = ["RGB", "YBR", "PALETTE", "ARGB", "CMYK", "HSV"];

    /// <summary>DICOM Modality values of a projection radiograph. DR is not a standard code but some devices write it.</summary>
    public IReadOnlyList<string> ChestModalities { get; init; } = ["CR", "DX", "DR", "RG"];

    /// <summary>DICOM BodyPartExamined values accepted as a chest.</summary>
    public IReadOnlyList<string> ChestBodyParts { get; init; } = ["CHEST", "THORAX", "LUNG"];

    /// <summary>DICOM ViewPosition values of a lateral (or lateral decubitus) projection.</summary>
    public IReadOnlyList<string> LateralViewPositions { get; init; } = ["LL", "RL", "LAT", "LLD", "RLD", "LATERAL"];

    /// <summary>Side of the square thumbnail the content heuristics (symmetry, polarity) are computed on.</summary>
    public int ThumbnailSize { get; init; } = 64;

    /// <summary>Whether the left-right mirror-symmetry heuristic may flag lateral_view (films without a ViewPosition).</summary>
    public bool LateralHeuristic { get; init; } = true;

    /// <summary>lateral_view when the best mirror correlation is below this.</summary>
    public double MinMirrorCorrelation { get; init; } = 0.25;

    /// <summary>Largest shift of the mirror axis from the centre searched, as a fraction of the width
    /// (children are often off-centre on the film).</summary>
    public double MirrorAxisSearch { get; init; } = 0.1;

    /// <summary>Whether the polarity heuristic may flag possibly_inverted.</summary>
    public bool PolarityHeuristic { get; init; } = true;

    /// <summary>possibly_inverted when the polarity score (mediastinum minus lungs, in standard deviations of the
    /// film) is below this.</summary>
    public double MinPolarityScore { get; init; } = 0;

    public static QualityGateOptions Default { get; } = new();
}
