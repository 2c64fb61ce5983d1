using System.Text.Json.Serialization;

namespace CxrQa.Core.Evaluation;

/// <summary>The standard report of a binary pneumonia classifier on one set of films (metrics.json).</summary>
public sealed record BinaryMetrics
{
    [JsonPropertyName("auc")] public required double Auc { get; init; }
    [JsonPropertyName("accuracy")] public required double Accuracy { get; init; }
    [JsonPropertyName("sensitivity")] public required double Sensitivity { get; init; }
    [JsonPropertyName("specificity")] public required double Specificity { get; init; }
    [JsonPropertyName("precision")] public required double Precision { get; init; }
    [JsonPropertyName("f1")] public required double F1 { get; init; }
    [JsonPropertyName("brier")] public required double Brier { get; init; }
    /// <summary>Top-label ECE with <see cref="ReliabilityBins.DefaultBinCount"/> equal-width bins.</summary>
    [JsonPropertyName("ece")] public required double Ece { get; init; }
    [JsonPropertyName("confusion_matrix")] public required ConfusionMatrix ConfusionMatrix { get; init; }
    [JsonPropertyName("n")] public required int N { get; init; }
    [JsonPropertyName("threshold")] public required double Threshold { get; init; }

    /// <param name="probabilities">Pneumonia probabilities in [0, 1].</param>
    /// <param name="threshold">Films with probability at least this are called pneumonia.</param>
    public static BinaryMetrics Compute(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels, double threshold = 0.5)
    {
        var cm = ConfusionMatrix.At(probabilities, labels, threshold);
        return new BinaryMetrics
        {
            Auc = Evaluation.Auc.Compute(probabilities, labels),
            Accuracy = cm.Accuracy,
            Sensitivity = cm.Sensitivity,
            Specificity = cm.Specificity,
            Precision = cm.Precision,
            F1 = cm.F1,
            Brier = Evaluation.Brier.Score(probabilities, labels),
            Ece = ReliabilityBins.Compute(probabilities, labels).Ece,
            ConfusionMatrix = cm,
            N = probabilities.Length,
            Threshold = threshold,
        };
    }
}
