using System.Text.Json.Serialization;

namespace CxrQa.Core.Evaluation;

/// <summary>Counts at one threshold; pneumonia is the positive class. Rates of an empty denominator are NaN.</summary>
public sealed record ConfusionMatrix(
    [property: JsonPropertyName("tn")] int TrueNegatives,
    [property: JsonPropertyName("fp")] int FalsePositives,
    [property: JsonPropertyName("fn")] int FalseNegatives,
    [property: JsonPropertyName("tp")] int TruePositives)
{
    [JsonIgnore] public int Total => TrueNegatives + FalsePositives + FalseNegatives + TruePositives;
    [JsonIgnore] public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);
    /// <summary>Recall of pneumonia.</summary>
    [JsonIgnore] public double Sensitivity => Ratio(TruePositives, TruePositives + FalseNegatives);
    /// <summary>Recall of normal.</summary>
    [JsonIgnore] public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);
    [JsonIgnore] public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    /// <summary>Negative predictive value: the precision of a "Normal" answer.</summary>
    [JsonIgnore] public double Npv => Ratio(TrueNegatives, TrueNegatives + FalseNegatives);
    [JsonIgnore] public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Calls a film positive when its score is at least <paramref name="threshold"/>.</summary>
    public static ConfusionMatrix At(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold)
    {
        LabelChecks.Validate(scores, labels);
        int tn = 0, fp = 0, fn = 0, tp = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] >= threshold;
            if (labels[i] == 1) { if (predicted) tp++; else fn++; }
            else { if (predicted) fp++; else tn++; }
        }
        return new ConfusionMatrix(tn, fp, fn, tp);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}
