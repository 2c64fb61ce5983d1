namespace CxrQa.Core.Evaluation;

/// <summary>What a reliability bin compares.</summary>
public enum ReliabilityView
{
    /// <summary>Confidence = probability of the predicted class, max(p, 1-p); accuracy = fraction predicted right
    /// (Guo et al. 2017). This is the number the decision policy thresholds, so it is the default.</summary>
    TopLabel,
    /// <summary>Confidence = pneumonia probability p; "accuracy" = observed fraction of pneumonia.</summary>
    PositiveClass,
}

/// <summary>One bin of a reliability diagram, [Lower, Upper) (the last bin includes 1).</summary>
public sealed record ReliabilityBin(double Lower, double Upper, double MeanConfidence, double Accuracy, int Count);

/// <summary>Equal-width reliability bins and the expected calibration error they give.</summary>
/// <param name="Ece">sum_b (n_b / n) |accuracy_b - confidence_b|.</param>
public sealed record ReliabilityBins(IReadOnlyList<ReliabilityBin> Bins, ReliabilityView View, double Ece, int Count)
{
    public const int DefaultBinCount = 15;

    /// <param name="probabilities">Pneumonia probabilities in [0, 1].</param>
    public static ReliabilityBins Compute(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels,
        int binCount = DefaultBinCount, ReliabilityView view = ReliabilityView.TopLabel)
    {
        LabelChecks.Validate(probabilities, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        var confidenceSum = new double[binCount];
        var hits = new double[binCount];
        var counts = new int[binCount];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probabilities), p, $"probability {i} is outside [0, 1]");
            var (confidence, hit) = view == ReliabilityView.TopLabel
                ? (Math.Max(p, 1 - p), (p >= 0.5 ? 1 : 0) == labels[i] ? 1.0 : 0.0)
                : (p, labels[i]);
            var b = Math.Min((int)(confidence * binCount), binCount - 1);
            confidenceSum[b] += confidence;
            hits[b] += hit;
            counts[b]++;
        }

        var n = probabilities.Length;
        var bins = new ReliabilityBin[binCount];
        var ece = 0.0;
        for (var b = 0; b < binCount; b++)
        {
            var c = counts[b];
            var meanConfidence = c == 0 ? double.NaN : confidenceSum[b] / c;
            var accuracy = c == 0 ? double.NaN : hits[b] / c;
            bins[b] = new ReliabilityBin((double)b / binCount, (double)(b + 1) / binCount, meanConfidence, accuracy, c);
            if (c > 0) ece += (double)c / n * Math.Abs(accuracy - meanConfidence);
        }
        return new ReliabilityBins(bins, view, n == 0 ? double.NaN : ece, n);
    }
}
