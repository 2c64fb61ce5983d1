using CxrQa.Core.Imaging;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Quality;

/// <summary>Decides whether a decoded film is one the model was built to read: a frontal, gray, normally exposed,
/// right-way-round chest radiograph of sufficient size. Pure: the same film and options always give the same
/// assessment. Any reason sends the case to review, whatever the model's confidence.</summary>
public sealed class QualityGate(QualityGateOptions options)
{
    public QualityGateOptions Options { get; } = options;

    public QualityAssessment Assess(DecodedFilm film)
    {
        ArgumentNullException.ThrowIfNull(film);
        var metadata = film.Metadata;
        var histogram = LevelHistogram.Of(film.Image);
        var runsContentHeuristics = Options.LateralHeuristic || Options.PolarityHeuristic;
        var thumbnail = runsContentHeuristics ? Thumbnail.Of(film.Image, Options.ThumbnailSize) : null;

        var measurements = new QualityMeasurements(
            MinSidePixels: FilmSizeCheck.MinSide(metadata),
            ExtremeFraction: histogram.ExtremeFraction(Options.BlackLevel, Options.WhiteLevel),
            StandardDeviation: histogram.StandardDeviation(),
            LowPercentileLevel: histogram.Percentile(Options.LowPercentile),
            HighPercentileLevel: histogram.Percentile(Options.HighPercentile),
            Colourfulness: metadata.Colourfulness,
            MirrorCorrelation: Options.LateralHeuristic ? MirrorSymmetry.BestCorrelation(thumbnail!, Options.MirrorAxisSearch) : null,
            PolarityScore: Options.PolarityHeuristic ? PolarityScore.Measure(thumbnail!) : null);

        return new QualityAssessment(Reasons(metadata, measurements), measurements);
    }

    /// <summary>The reason codes for the measurements, in the fixed order of <see cref="ReasonCodes.All"/>.</summary>
    public IReadOnlyList<string> Reasons(FilmMetadata metadata, QualityMeasurements m)
    {
        var reasons = new List<string>();
        if (FilmSizeCheck.IsTooSmall(m.MinSidePixels, Options))
            reasons.Add(ReasonCodes.TooSmall);
        if (ExposureCheck.IsBlankOrSaturated(m.ExtremeFraction, m.StandardDeviation, Options))
            reasons.Add(ReasonCodes.BlankOrSaturated);
        if (ContrastCheck.IsLowContrast(m.PercentileSpread, Options))
            reasons.Add(ReasonCodes.LowContrast);
        if (ColourCheck.IsColour(metadata, Options))
            reasons.Add(ReasonCodes.ColourImage);
        if (ModalityCheck.IsNotChest(metadata.Dicom, Options))
            reasons.Add(ReasonCodes.NotChestModality);
        if (IsLateral(metadata.Dicom, m.MirrorCorrelation))
            reasons.Add(ReasonCodes.LateralView);
        if (PolarityCheck.LooksInverted(m.PolarityScore, Options))
            reasons.Add(ReasonCodes.PossiblyInverted);
        return reasons;
    }

    /// <summary>A ViewPosition in the header is believed either way; the heuristic only speaks when it is absent.</summary>
    private bool IsLateral(DicomFacts? dicom, double? mirrorCorrelation)
    {
        if (LateralViewCheck.HeaderSaysLateral(dicom, Options))
            return true;
        var headerNamesAView = !string.IsNullOrWhiteSpace(dicom?.ViewPosition);
        return !headerNamesAView && LateralViewCheck.LooksLateral(mirrorCorrelation, Options);
    }
}
