using System.Diagnostics;
using CxrQa.Core.Learning;
using Xunit.Abstractions;

namespace CxrQa.Tests.Learning;

public class LogisticRegressionTests(ITestOutputHelper output)
{
    private static readonly LogisticRegressionOptions Unweighted = new() { ClassWeighting = ClassWeighting.None };

    [Fact]
    public void Recovers_known_weights_from_noisy_data()
    {
        // Effect sizes in standard-deviation units; raw weights follow from the drawn scales.
        var effects = new[] { 1.5, -1.0, 0.5, 0.0, 2.0 };
        var probe = SyntheticLogistic.Draw(1, new double[effects.Length], 0, seed: 7);
        var raw = effects.Select((e, j) => e / probe.Scales[j]).ToArray();
        var bias = 0.3 - raw.Select((w, j) => w * probe.Offsets[j]).Sum(); // logit 0.3 at the feature means
        var sample = SyntheticLogistic.Draw(40_000, raw, bias, seed: 7);

        var fit = LogisticRegression.Fit(sample.X, sample.Labels, Unweighted with { C = 1e4 });

        Assert.True(fit.Converged);
        for (var j = 0; j < effects.Length; j++)
            Assert.InRange(fit.Model.Weights[j] * sample.Scales[j], effects[j] - 0.08, effects[j] + 0.08);
        var fittedLogitAtMean = fit.Model.Bias + fit.Model.Weights.Select((w, j) => w * sample.Offsets[j]).Sum();
        Assert.InRange(fittedLogitAtMean, 0.3 - 0.08, 0.3 + 0.08);
    }

    [Fact]
    public void Matches_a_hand_solved_two_point_problem()
    {
        // x = {1, 3}, y = {0, 1}: standardised z = {-1, +1}; by symmetry the standardised bias is 0 and the
        // objective is softplus(-v) + v^2 / (4C), stationary where v / (2C) = 1 / (1 + e^v).
        // For C = 0.5 that is v (1 + e^v) = 1, v = 0.40106 (bisection below). Raw: w = v / sd = v, b = -mean * w = -2v.
        var x = new FeatureMatrix([1f, 3f], 2, 1);
        // At the default tolerance (|g| < 1e-6) the answer is good to ~1e-6; a tight one shows it is the exact optimum.
        var fit = LogisticRegression.Fit(x, [0, 1], Unweighted with { C = 0.5, GradientTolerance = 1e-14 });

        double lo = 0, hi = 1;
        for (var k = 0; k < 100; k++)
        {
            var mid = (lo + hi) / 2;
            if (mid * (1 + Math.Exp(mid)) < 1) lo = mid; else hi = mid;
        }
        Assert.Equal(0.40106, lo, 5);
        Assert.Equal(lo, fit.Model.Weights[0], 9);
        Assert.Equal(-2 * lo, fit.Model.Bias, 9);
    }

    [Fact]
    public void Uninformative_features_leave_the_bias_at_the_log_odds()
    {
        // Constant features: only the (unpenalised) bias can move. Unweighted it reaches log(3/1);
        // balanced weighting gives both classes equal mass, so the log-odds become 0.
        var x = new FeatureMatrix([2f, 5f, 2f, 5f, 2f, 5f, 2f, 5f], 4, 2);
        int[] y = [1, 1, 1, 0];
        var unweighted = LogisticRegression.Fit(x, y, Unweighted with { GradientTolerance = 1e-14 });
        Assert.Equal(Math.Log(3), unweighted.Model.Bias, 8);
        Assert.All(unweighted.Model.Weights, w => Assert.Equal(0, w, 12));

        var balanced = LogisticRegression.Fit(x, y, new LogisticRegressionOptions { ClassWeighting = ClassWeighting.Balanced, GradientTolerance = 1e-14 });
        Assert.Equal(0, balanced.Model.Bias, 8);
    }

    [Fact]
    public void A_stronger_penalty_shrinks_the_weights_monotonically()
    {
        var sample = SyntheticLogistic.Draw(2000, [0.8, -0.5, 0.3, 0.1, -0.2, 0.05], 0.5, seed: 3, correlation: 0.4);
        var norms = new List<double>();
        foreach (var c in HeadTrainingOptions.LogSpaced(1e-4, 1e2, 8).Reverse()) // strength 1/C grows
        {
            var fit = LogisticRegression.Fit(sample.X, sample.Labels, new LogisticRegressionOptions { C = c });
            var (v, _) = fit.Standardisation.FromRaw(fit.Model);
            norms.Add(Math.Sqrt(v.Sum(w => w * w)));
        }
        output.WriteLine(string.Join(" > ", norms.Select(n => n.ToString("G4"))));
        for (var k = 1; k < norms.Count; k++) Assert.True(norms[k] < norms[k - 1], $"norm grew at step {k}");
    }

    [Fact]
    public void Balanced_weighting_lowers_the_intercept_when_pneumonia_is_the_majority()
    {
        // Logit 1.6 at the feature origin plus mixed offsets: pneumonia is the clear majority, as in Kermany.
        var skewed = SyntheticLogistic.Draw(3000, [0.6, -0.4], 1.6, seed: 11);
        output.WriteLine($"positive fraction {skewed.Labels.Average():F3}");
        Assert.True(skewed.Labels.Average() > 0.6);

        var none = LogisticRegression.Fit(skewed.X, skewed.Labels, new LogisticRegressionOptions { ClassWeighting = ClassWeighting.None, C = 10 });
        var balanced = LogisticRegression.Fit(skewed.X, skewed.Labels, new LogisticRegressionOptions { ClassWeighting = ClassWeighting.Balanced, C = 10 });
        // Compare intercepts where they mean the same thing: the logit at the feature means (standardised bias).
        var noneIntercept = none.Standardisation.FromRaw(none.Model).Bias;
        var balancedIntercept = balanced.Standardisation.FromRaw(balanced.Model).Bias;
        Assert.True(balancedIntercept < noneIntercept, $"balanced {balancedIntercept} vs none {noneIntercept}");

        // With an unpenalised bias the optimum matches the (weighted) class frequency exactly.
        var pNone = none.Model.Probabilities(skewed.X);
        Assert.Equal(skewed.Labels.Average(), pNone.Average(), 6);
        var pBalanced = balanced.Model.Probabilities(skewed.X);
        Assert.True(pBalanced.Average() < pNone.Average());
        var weights = LogisticRegression.SampleWeights(skewed.Labels, skewed.Labels.Sum(), ClassWeighting.Balanced);
        var weightedResidual = pBalanced.Select((p, i) => weights[i] * (p - skewed.Labels[i])).Sum();
        Assert.Equal(0, weightedResidual, 4);
    }

    [Fact]
    public void Raw_weights_give_the_same_logits_as_the_standardised_model()
    {
        var sample = SyntheticLogistic.Draw(500, [0.3, -0.2, 0.1, 0.7], -1, seed: 5);
        var fit = LogisticRegression.Fit(sample.X, sample.Labels, new LogisticRegressionOptions { C = 3 });
        var (v, b0) = fit.Standardisation.FromRaw(fit.Model);
        for (var i = 0; i < sample.X.Rows; i++)
        {
            var row = sample.X.Row(i);
            var standardised = b0;
            for (var j = 0; j < row.Length; j++) standardised += v[j] * (row[j] - fit.Standardisation.Mean[j]) / fit.Standardisation.Scale[j];
            Assert.Equal(standardised, fit.Model.Logit(row), 9);
        }
        var head = fit.Model.ToHeadCard();
        Assert.Equal(fit.Model.Weights.Length, head.Weights.Length);
    }

    [Fact]
    public void Converges_on_512_correlated_features_and_a_warm_start_reaches_the_same_optimum()
    {
        var random = new Random(1);
        var weights = Enumerable.Range(0, 512).Select(_ => SyntheticLogistic.Gaussian(random) * 0.05).ToArray();
        var sample = SyntheticLogistic.Draw(3000, weights, 0.5, seed: 2, correlation: 0.5);
        var options = new LogisticRegressionOptions { C = 100 }; // the weakest penalty of the usual grid: worst conditioned

        var watch = Stopwatch.StartNew();
        var cold = LogisticRegression.Fit(sample.X, sample.Labels, options);
        var coldTime = watch.Elapsed;
        var start = LogisticRegression.Fit(sample.X, sample.Labels, options with { C = 10 });
        watch.Restart();
        var warm = LogisticRegression.Fit(sample.X, sample.Labels, options, start.Model);
        output.WriteLine($"cold: {cold.Iterations} Newton steps, |g| {cold.GradientNorm:E2}, {coldTime.TotalMilliseconds:F0} ms; " +
                         $"warm: {warm.Iterations} steps, {watch.Elapsed.TotalMilliseconds:F0} ms");

        Assert.True(cold.Converged);
        Assert.True(cold.GradientNorm < 1e-6);
        Assert.True(warm.Converged);
        Assert.True(warm.Iterations <= cold.Iterations);
        // Both stop within |g| < 1e-6 of one strictly convex optimum: same objective, same predictions.
        Assert.Equal(cold.Objective, warm.Objective, 9);
        var pCold = cold.Model.Probabilities(sample.X);
        var pWarm = warm.Model.Probabilities(sample.X);
        for (var i = 0; i < pCold.Length; i++) Assert.Equal(pCold[i], pWarm[i], 1e-4);
    }

    [Fact]
    public void Invalid_input_is_rejected()
    {
        var x = new FeatureMatrix([1f, 2f, 3f], 3, 1);
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(x, [1, 1, 1], new LogisticRegressionOptions()));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(x, [0, 1], new LogisticRegressionOptions()));
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(x, [0, 1, 2], new LogisticRegressionOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogisticRegression.Fit(x, [0, 1, 1], new LogisticRegressionOptions { C = 0 }));
    }

    [Fact]
    public void A_cancelled_fit_stops()
    {
        var sample = SyntheticLogistic.Draw(200, [0.5, 0.5], 0, seed: 1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LogisticRegression.Fit(sample.X, sample.Labels, new LogisticRegressionOptions(), null, cts.Token));
    }
}
