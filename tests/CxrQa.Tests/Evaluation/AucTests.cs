using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class AucTests
{
    /// <summary>Scores on a 0.01 grid (many ties) with labels loosely following them.</summary>
    internal static (double[] Scores, int[] Labels) Random(int seed, int n = 400)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = Math.Round(random.NextDouble(), 2);
            labels[i] = random.NextDouble() < 0.2 + 0.6 * scores[i] ? 1 : 0;
        }
        return (scores, labels);
    }

    /// <summary>The definition: the fraction of (positive, negative) pairs ordered right, ties counting half.</summary>
    private static double PairCount(double[] s, int[] y)
    {
        double right = 0, pairs = 0;
        for (var i = 0; i < s.Length; i++)
            for (var j = 0; j < s.Length; j++)
                if (y[i] == 1 && y[j] == 0)
                {
                    pairs++;
                    right += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
        return right / pairs;
    }

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5 };

    [Fact]
    public void Hand_checked_values()
    {
        Assert.Equal(0.75, Auc.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 12);
        Assert.Equal(1.0, Auc.Compute([0.1, 0.2, 0.3, 0.9], [0, 0, 1, 1]));
        Assert.Equal(0.0, Auc.Compute([0.9, 0.8, 0.3, 0.1], [0, 0, 1, 1]));
        Assert.Equal(0.5, Auc.Compute([0.5, 0.5], [0, 1]));             // a tie is worth half
        Assert.Equal(0.5, Auc.Compute([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1]));
        Assert.Equal(0.75, Auc.Compute([0.2, 0.5, 0.5], [0, 0, 1]));      // one win, one tie
    }

    [Fact]
    public void Undefined_without_both_classes() => Assert.True(double.IsNaN(Auc.Compute([0.1, 0.9], [1, 1])));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Equals_the_pairwise_definition_and_the_trapezoidal_roc_area(int seed)
    {
        var (s, y) = Random(seed);
        var auc = Auc.Compute(s, y);
        Assert.Equal(PairCount(s, y), auc, 12);
        Assert.Equal(auc, RocCurve.Compute(s, y).Auc, 12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Invariant_under_strictly_increasing_transforms(int seed)
    {
        var (s, y) = Random(seed);
        var auc = Auc.Compute(s, y);
        foreach (var f in new Func<double, double>[] { v => 3 * v + 7, Math.Exp, v => v * v * v, v => Math.Log(v + 0.001), Math.Atan })
            Assert.Equal(auc, Auc.Compute(s.Select(f).ToArray(), y), 12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Reversing_the_scores_gives_one_minus_the_auc(int seed)
    {
        var (s, y) = Random(seed);
        var auc = Auc.Compute(s, y);
        Assert.Equal(1 - auc, Auc.Compute(s.Select(v => 1 - v).ToArray(), y), 12);
        Assert.Equal(1 - auc, Auc.Compute(s.Select(v => -v).ToArray(), y), 12);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Perfect_separation_scores_one(int seed)
    {
        var random = new Random(seed);
        var y = Enumerable.Range(0, 300).Select(_ => random.Next(2)).ToArray();
        var s = y.Select(l => l + random.NextDouble() * 0.99).ToArray();
        Assert.Equal(1.0, Auc.Compute(s, y));
    }

    [Fact]
    public void Roc_runs_from_origin_to_one_one_monotonically()
    {
        var (s, y) = Random(9);
        var roc = RocCurve.Compute(s, y);
        Assert.Equal((0.0, 0.0), (roc.FalsePositiveRates[0], roc.TruePositiveRates[0]));
        Assert.Equal((1.0, 1.0), (roc.FalsePositiveRates[^1], roc.TruePositiveRates[^1]));
        Assert.Equal(s.Distinct().Count() + 1, roc.Count);
        for (var k = 1; k < roc.Count; k++)
        {
            Assert.True(roc.FalsePositiveRates[k] >= roc.FalsePositiveRates[k - 1]);
            Assert.True(roc.TruePositiveRates[k] >= roc.TruePositiveRates[k - 1]);
            Assert.True(roc.Thresholds[k] < roc.Thresholds[k - 1]);
        }
        // Each point is the confusion matrix at its threshold.
        var mid = roc.Count / 2;
        var cm = ConfusionMatrix.At(s, y, roc.Thresholds[mid]);
        Assert.Equal(cm.Sensitivity, roc.TruePositiveRates[mid], 12);
        Assert.Equal(1 - cm.Specificity, roc.FalsePositiveRates[mid], 12);
    }
}
