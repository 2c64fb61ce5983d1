using System.Text.Json;
using System.Text.Json.Serialization;

namespace CxrQa.Core.Trust;

/// <summary>
/// The calibration split's raw logits and labels, kept in the bundle (calibration.json) so that a deployment can
/// recompute the routing thresholds for its own alpha/delta without the training data.
/// </summary>
public sealed record CalibrationScores(
    [property: JsonPropertyName("logits")] double[] Logits,
    [property: JsonPropertyName("labels")] int[] Labels,
    [property: JsonPropertyName("ood_scores")] double[] OodScores)
{
    /// <summary>Each film's feature-shift score (null: the bundle has no such gate).</summary>
    [JsonPropertyName("feature_shift_scores")] public double[]? FeatureShiftScores { get; init; }
    /// <summary>Each film's ensemble spread (null: a single network).</summary>
    [JsonPropertyName("ensemble_spreads")] public double[]? EnsembleSpreads { get; init; }
    /// <summary>Whether each film passes every gate (the films certification counts); null: all.</summary>
    [JsonPropertyName("eligible")] public bool[]? Eligible { get; init; }
    /// <summary>Each film's patient id (certification counts one film per patient); null: films are independent.</summary>
    [JsonPropertyName("patients")] public string[]? Patients { get; init; }
    /// <summary>Each film's stable key (relative path) that picks a patient's film.</summary>
    [JsonPropertyName("keys")] public string[]? Keys { get; init; }

    /// <summary>The certification units recorded with the scores, for recomputing thresholds with other settings.</summary>
    public Calibration.CertificationUnits Units() => new(Patients, Eligible, Keys);

    public static CalibrationScores Load(string path) =>
        JsonSerializer.Deserialize<CalibrationScores>(File.ReadAllBytes(path))
        ?? throw new InvalidDataException($"'{path}' holds no calibration scores");

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this);
}
