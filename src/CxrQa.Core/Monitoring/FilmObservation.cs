using CxrQa.Core.Routing;
using CxrQa.Domain;

namespace CxrQa.Core.Monitoring;

/// <summary>
/// The values the drift monitor reads from one answered film, by name; the calibration reference uses the same names
/// (<see cref="CalibrationReference"/>), so a film and the reference are compared like for like.
/// </summary>
public static class FilmObservation
{
    /// <summary>1 - confidence of the predicted class (high = unsure).</summary>
    public const string Uncertainty = "uncertainty";
    /// <summary>The OOD gate's score (high = unlike the training films).</summary>
    public const string OodScore = "ood_score";
    /// <summary>The feature-shift gate's score (high = unlike the training films at some depth of the backbone).</summary>
    public const string FeatureShift = "feature_shift";
    /// <summary>The ensemble members' disagreement (high = members part ways).</summary>
    public const string EnsembleSpread = "ensemble_spread";
    /// <summary>1 when the answer is Pneumonia, else 0.</summary>
    public const string PredictedPneumonia = "predicted_pneumonia";
    /// <summary>1 when the answer is Normal, else 0 (watched separately so a fall of the Pneumonia rate alarms too).</summary>
    public const string PredictedNormal = "predicted_normal";

    /// <summary>The names a live film supplies; reference columns outside this set are not watched.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Uncertainty, OodScore, FeatureShift, EnsembleSpread, PredictedPneumonia, PredictedNormal,
    };

    /// <param name="pneumoniaProbability">Calibrated probability of pneumonia (the screening's answer).</param>
    /// <param name="oodScore">NaN when the bundle has no OOD gate (the signal then skips the film).</param>
    /// <param name="featureShift">NaN when the bundle has no feature-shift gate.</param>
    /// <param name="ensembleSpread">NaN for a single network.</param>
    public static Dictionary<string, double> From(double pneumoniaProbability, double oodScore,
        double featureShift = double.NaN, double ensembleSpread = double.NaN)
    {
        var prediction = BinaryPrediction.FromPneumoniaProbability(pneumoniaProbability);
        var pneumonia = prediction.Class == ScreeningClass.Pneumonia ? 1.0 : 0.0;
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [Uncertainty] = 1 - prediction.Confidence,
            [PredictedPneumonia] = pneumonia,
            [PredictedNormal] = 1 - pneumonia,
        };
        if (double.IsFinite(oodScore))
            values[OodScore] = oodScore;
        if (double.IsFinite(featureShift))
            values[FeatureShift] = featureShift;
        if (double.IsFinite(ensembleSpread))
            values[EnsembleSpread] = ensembleSpread;
        return values;
    }
}
