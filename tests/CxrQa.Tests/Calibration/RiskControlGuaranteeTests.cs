using CxrQa.Core.Calibration;
using Xunit.Abstractions;

namespace CxrQa.Tests.Calibration;

/// <summary>
/// The guarantee is tested, not assumed: calibration sets are drawn from a world whose error rate above every
/// threshold is known exactly, the selection runs on each, and we count how often the chosen threshold truly keeps
/// its promise.
/// </summary>
/// <remarks>
/// World: confidence s ~ Uniform(0.5, 1]; P(error | s) = 4 k (1 - s)^3. The true error rate among answers with
/// s &gt;= t is then R(t) = integral_t^1 4k(1-u)^3 du / (1 - t) = k (1 - t)^3, and the true coverage is (1 - t) / 0.5.
/// With k = 1 and alpha = 1 % the best possible threshold is t = 1 - 0.01^(1/3) = 0.785, covering 43 %.
/// These worlds leave slack (the shipped scan violates in ~1-4 % of draws), so a procedure twice as loose would pass
/// here too; <see cref="RiskControlPowerTests"/> holds the worlds in which broken procedures fail.
/// </remarks>
public sealed class RiskControlGuaranteeTests(ITestOutputHelper output)
{
    private const int Draws = 1000;

    private static double TrueRisk(double? threshold, double k) => threshold is { } t ? k * Math.Pow(1 - Math.Min(t, 1), 3) : 0.0;

    private static double TrueCoverage(double? threshold) => threshold is { } t ? Math.Clamp((1 - t) / 0.5, 0, 1) : 0.0;

    private static (double[] Scores, bool[] Correct) Draw(Random random, int n, double k)
    {
        var scores = new double[n];
        var correct = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var s = 1 - 0.5 * random.NextDouble();
            scores[i] = s;
            correct[i] = random.NextDouble() >= 4 * k * Math.Pow(1 - s, 3);
        }
        return (scores, correct);
    }

    [Theory]
    // Coverage floors sit below what these seeds give (21 % and 35 %): the oracle's 43 % needs far more data,
    // because with alpha = 1 % the bound only passes where errors are very rare in the sample.
    [InlineData(1500, 0.15)]
    [InlineData(5000, 0.30)]
    public void Selected_thresholds_keep_alpha_in_at_least_one_minus_delta_of_calibration_draws(int n, double minimumCoverage)
    {
        const double alpha = 0.01, delta = 0.05;
        var within = 0;
        var coverage = 0.0;
        for (var d = 0; d < Draws; d++)
        {
            var random = new Random(1000 + d);
            var (scores, correct) = Draw(random, n, k: 1.0);
            var s = SelectiveThreshold.Select(scores, correct, alpha, delta);
            if (TrueRisk(s.Threshold, 1.0) <= alpha)
                within++;
            coverage += TrueCoverage(s.Threshold);
        }
        var fraction = within / (double)Draws;
        coverage /= Draws;
        output.WriteLine($"single class, n={n}, alpha={alpha}, delta={delta}: {fraction:P1} of draws within alpha; mean true coverage {coverage:P1} (oracle 43.1 %)");
        Assert.True(fraction >= 1 - delta, $"only {fraction:P1} of draws kept alpha");
        Assert.True(coverage > minimumCoverage, $"the guarantee is vacuous: mean coverage {coverage:P1}");
    }

    [Fact]
    public void Per_class_thresholds_keep_each_class_alpha()
    {
        // Normal answers err with 4(1 - s)^3 (R = (1 - t)^3), Pneumonia answers twice as often (R = 2 (1 - t)^3):
        // alpha 1 % and 2 % put both oracle thresholds at t = 0.785.
        var options = new RiskControlOptions();
        int withinNormal = 0, withinPneumonia = 0;
        double coverageNormal = 0, coveragePneumonia = 0;
        for (var d = 0; d < Draws; d++)
        {
            var random = new Random(5000 + d);
            var (p, labels) = DrawTwoClasses(random, 2000);
            var card = ClassConditionalRiskControl.Fit(p, labels, options);
            if (TrueRisk(card.Normal.Threshold, 1.0) <= options.AlphaNormal)
                withinNormal++;
            if (TrueRisk(card.Pneumonia.Threshold, 2.0) <= options.AlphaPneumonia)
                withinPneumonia++;
            coverageNormal += TrueCoverage(card.Normal.Threshold);
            coveragePneumonia += TrueCoverage(card.Pneumonia.Threshold);
        }
        output.WriteLine($"per class, n=2000 (~1000 each), delta=0.05: Normal {withinNormal / (double)Draws:P1} within 1 %, mean coverage {coverageNormal / Draws:P1}; " +
                         $"Pneumonia {withinPneumonia / (double)Draws:P1} within 2 %, mean coverage {coveragePneumonia / Draws:P1}");
        Assert.True(withinNormal >= 0.95 * Draws);
        Assert.True(withinPneumonia >= 0.95 * Draws);
        // Seeds give about 12 % and 24 %: ~1000 cases per class is little evidence for a 1 % promise.
        Assert.True(coverageNormal / Draws > 0.08 && coveragePneumonia / Draws > 0.15, "the per-class guarantee is vacuous");
    }

    [Fact]
    public void A_safety_margin_buys_headroom_for_a_shift_that_doubles_the_error_rate()
    {
        // Calibrate in the k = 1 world, deploy in a k = 2 world (every error rate doubled).
        const double alpha = 0.01, delta = 0.05;
        int withinPlain = 0, withinMargin = 0;
        double coveragePlain = 0, coverageMargin = 0;
        // n = 4000: at 1500 a margin of 0.5 needs ~600 error-free answers and certifies almost nothing.
        const int draws = 600;
        for (var d = 0; d < draws; d++)
        {
            var (scores, correct) = Draw(new Random(9000 + d), 4000, k: 1.0);
            var plain = SelectiveThreshold.Select(scores, correct, alpha, delta);
            var margin = SelectiveThreshold.Select(scores, correct, alpha * 0.5, delta);
            withinPlain += TrueRisk(plain.Threshold, 2.0) <= alpha ? 1 : 0;
            withinMargin += TrueRisk(margin.Threshold, 2.0) <= alpha ? 1 : 0;
            coveragePlain += TrueCoverage(plain.Threshold);
            coverageMargin += TrueCoverage(margin.Threshold);
        }
        output.WriteLine($"shift x2, n=4000: margin 1.0 keeps alpha in {withinPlain / (double)draws:P1} of draws (coverage {coveragePlain / draws:P1}); " +
                         $"margin 0.5 in {withinMargin / (double)draws:P1} (coverage {coverageMargin / draws:P1})");
        Assert.True(withinMargin >= 0.95 * draws, "margin 0.5 must absorb a doubling");
        Assert.True(withinPlain < withinMargin, "without a margin the shift should cost some of the guarantee");
        Assert.True(coverageMargin < coveragePlain, "the margin is paid for in coverage");
    }

    [Fact]
    public void A_uniformly_bad_model_is_never_automated()
    {
        var automated = 0;
        for (var d = 0; d < 200; d++)
        {
            var random = new Random(20_000 + d);
            var scores = Enumerable.Range(0, 1500).Select(_ => 1 - 0.5 * random.NextDouble()).ToArray();
            var correct = scores.Select(_ => random.NextDouble() >= 0.05).ToArray(); // 5 % wrong at every confidence
            if (SelectiveThreshold.Select(scores, correct, 0.01, 0.05).Threshold is not null)
                automated++;
        }
        Assert.True(automated <= 10, $"{automated} of 200 draws automated a model that is 5 % wrong everywhere");
    }

    /// <summary>Calibrated-looking pneumonia probabilities: half the cases predicted each way, confidence uniform.</summary>
    private static (double[] P, int[] Labels) DrawTwoClasses(Random random, int n)
    {
        var p = new double[n];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var s = 1 - 0.5 * random.NextDouble();
            var pneumonia = random.NextDouble() < 0.5;
            if (s == 0.5)
                pneumonia = true; // p = 0.5 is predicted Pneumonia; keep the draw consistent with that rule
            var k = pneumonia ? 2.0 : 1.0;
            var wrong = random.NextDouble() < 4 * k * Math.Pow(1 - s, 3);
            p[i] = pneumonia ? s : 1 - s;
            labels[i] = pneumonia != wrong ? 1 : 0;
        }
        return (p, labels);
    }
}
