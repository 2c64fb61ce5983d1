using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class ThresholdMetricsTests
{
    [Fact]
    public void Confusion_matrix_and_rates_match_a_hand_count()
    {
        double[] p = [0.1, 0.6, 0.4, 0.9, 0.8, 0.5, 0.2, 0.7];
        int[] y = [0, 0, 1, 1, 1, 1, 0, 0];
        var cm = ConfusionMatrix.At(p, y, 0.5); // >= 0.5 is pneumonia
        Assert.Equal(new ConfusionMatrix(TrueNegatives: 2, FalsePositives: 2, FalseNegatives: 1, TruePositives: 3), cm);
        Assert.Equal(5 / 8.0, cm.Accuracy, 12);
        Assert.Equal(3 / 4.0, cm.Sensitivity, 12);
        Assert.Equal(2 / 4.0, cm.Specificity, 12);
        Assert.Equal(3 / 5.0, cm.Precision, 12);
        Assert.Equal(2 * 0.6 * 0.75 / (0.6 + 0.75), cm.F1, 12);
    }

    [Fact]
    public void Rates_with_an_empty_denominator_are_nan()
    {
        var cm = ConfusionMatrix.At([0.1, 0.2], [0, 0], 0.5);
        Assert.True(double.IsNaN(cm.Sensitivity));
        Assert.True(double.IsNaN(cm.Precision));
        Assert.Equal(1.0, cm.Specificity);
    }

    [Fact]
    public void Brier_is_bounded_and_hits_its_extremes()
    {
        Assert.Equal(0.0, Brier.Score([0, 1, 1], [0, 1, 1]));
        Assert.Equal(1.0, Brier.Score([1, 0], [0, 1]));
        Assert.Equal(0.25, Brier.Score([0.5, 0.5, 0.5], [0, 1, 1]), 12);
        var (s, y) = AucTests.Random(3);
        Assert.InRange(Brier.Score(s, y), 0, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Brier.Score([1.5], [1]));
    }

    [Fact]
    public void Binary_metrics_gather_everything_at_the_threshold()
    {
        var (s, y) = AucTests.Random(4);
        var m = BinaryMetrics.Compute(s, y, 0.6);
        var cm = ConfusionMatrix.At(s, y, 0.6);
        Assert.Equal(cm, m.ConfusionMatrix);
        Assert.Equal(Auc.Compute(s, y), m.Auc);
        Assert.Equal(cm.F1, m.F1);
        Assert.Equal(Brier.Score(s, y), m.Brier);
        Assert.Equal(ReliabilityBins.Compute(s, y).Ece, m.Ece);
        Assert.Equal(s.Length, m.N);
        Assert.Equal(0.6, m.Threshold);
    }
}
