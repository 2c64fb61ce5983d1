namespace CxrQa.Core.Evaluation;

/// <summary>One named metric with its bootstrap interval.</summary>
public sealed record NamedInterval(string Name, ConfidenceInterval Interval);

/// <summary>
/// The per-class threshold metrics and AUC, each with a seeded percentile-bootstrap interval. Every metric uses the
/// same seed, hence the same resampled film sets, so the intervals describe one bootstrap, not seven unrelated ones.
/// </summary>
public static class MetricIntervals
{
    public static IReadOnlyList<string> Names { get; } = ["sensitivity", "specificity", "precision", "npv", "f1", "accuracy", "auc"];

    public static IReadOnlyList<NamedInterval> Compute(IReadOnlyList<double> probabilities, IReadOnlyList<int> labels,
        double threshold = 0.5, int resamples = 2000, double level = 0.95, int seed = 0)
    {
        Func<double[], int[], double> AtThreshold(Func<ConfusionMatrix, double> rate) => (s, y) => rate(ConfusionMatrix.At(s, y, threshold));
        var metrics = new Func<double[], int[], double>[]
        {
            AtThreshold(cm => cm.Sensitivity), AtThreshold(cm => cm.Specificity), AtThreshold(cm => cm.Precision),
            AtThreshold(cm => cm.Npv), AtThreshold(cm => cm.F1), AtThreshold(cm => cm.Accuracy),
            (s, y) => Auc.Compute(s, y),
        };
        return Names.Zip(metrics, (name, metric) =>
            new NamedInterval(name, BootstrapInterval.Compute(probabilities, labels, metric, resamples, level, seed))).ToList();
    }
}
