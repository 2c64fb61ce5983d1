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
    public static CalibrationScores Load(string path) =>
        JsonSerializer.Deserialize<CalibrationScores>(File.ReadAllBytes(path))
        ?? throw new InvalidDataException($"'{path}' holds no calibration scores");

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this);
}
