using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Quality;
using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Pipeline;

/// <summary>The answer for one film.</summary>
/// <param name="CaseId">Time-ordered unique id (UUID v7) of this screening.</param>
/// <param name="Prediction">"Normal" or "Pneumonia".</param>
/// <param name="PneumoniaProbability">Calibrated probability of pneumonia.</param>
/// <param name="Confidence">Calibrated probability of the predicted class.</param>
/// <param name="Logit">Raw pneumonia logit before temperature (kept for recalibration and audit).</param>
/// <param name="Decision">Automated or pending review, with reasons.</param>
/// <param name="InputSha256">Hex sha256 of the input bytes.</param>
/// <param name="Metadata">What the decoder learned about the film.</param>
/// <param name="OodScore">Squared Mahalanobis distance of the embedding to the training films (NaN when the bundle has no OOD gate).</param>
/// <param name="Quality">The numbers the quality and view checks used.</param>
/// <param name="Heatmap">Grad-CAM at the last block for the predicted class (7x7, normalised).</param>
public sealed record ScreeningResult(
    string CaseId,
    string Prediction,
    double PneumoniaProbability,
    double Confidence,
    double Logit,
    RoutingDecision Decision,
    string InputSha256,
    FilmMetadata Metadata,
    ModelIdentity Model,
    double OodScore,
    CamResult Heatmap,
    QualityMeasurements Quality)
{
    /// <summary>What the shift gates measured (feature-shift score, ensemble spread); NaN where the bundle has no such gate.</summary>
    public Trust.ShiftSignals Signals { get; init; } = Trust.ShiftSignals.None;
}

/// <summary>Either a result or a typed error for one input; a bad film never stops the others.</summary>
public sealed record ScreeningOutcome(FilmInput Input, ScreeningResult? Result, ScreeningError? Error)
{
    public bool Succeeded => Result is not null;

    /// <summary>The decoded film, for callers that render or store it (heatmap overlays, review copies). It may be a
    /// reduced decode (<see cref="DecodedFilm.IsReduced"/>); decode <see cref="Input"/> again for the full-size film.</summary>
    public DecodedFilm? Film { get; init; }
}

public sealed record ScreeningError(string Code, string Message);
