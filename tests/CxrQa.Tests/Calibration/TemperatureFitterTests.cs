using CxrQa.Core.Calibration;

namespace CxrQa.Tests.Calibration;

public sealed class TemperatureFitterTests
{
    private static (double[] Logits, int[] Labels) Simulate(double trueTemperature, int n, int seed, double logitScale = 3.0)
    {
        var g = new SeededGaussian(seed);
        var logits = new double[n];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            logits[i] = logitScale * g.Next();
            labels[i] = g.Uniform.NextDouble() < TemperatureScaling.Probability(logits[i], trueTemperature) ? 1 : 0;
        }
        return (logits, labels);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void Recovers_the_temperature_that_generated_the_labels(double trueTemperature)
    {
        var (logits, labels) = Simulate(trueTemperature, 50_000, seed: 11);
        var fitted = TemperatureFitter.Fit(logits, labels);
        Assert.InRange(fitted / trueTemperature, 0.95, 1.05);
    }

    [Theory]
    [InlineData(0.7, 1)]
    [InlineData(1.0, 2)]
    [InlineData(3.0, 3)]
    public void The_fit_is_a_minimum_of_the_nll(double trueTemperature, int seed)
    {
        var (logits, labels) = Simulate(trueTemperature, 2_000, seed);
        var fitted = TemperatureFitter.Fit(logits, labels);
        var atFit = BinaryNll.Mean(logits, labels, fitted);
        Assert.True(atFit <= BinaryNll.Mean(logits, labels, 1.0) + 1e-12);
        foreach (var factor in new[] { 0.9, 0.99, 1.01, 1.1 })
            Assert.True(atFit <= BinaryNll.Mean(logits, labels, fitted * factor) + 1e-12, $"NLL lower at {factor} x fit");
    }

    [Fact]
    public void Is_invariant_to_order_and_duplication()
    {
        var (logits, labels) = Simulate(1.7, 3_000, seed: 5);
        var fitted = TemperatureFitter.Fit(logits, labels);

        var order = Enumerable.Range(0, logits.Length).OrderBy(_ => Guid.NewGuid()).ToArray();
        var shuffled = TemperatureFitter.Fit(order.Select(i => logits[i]).ToArray(), order.Select(i => labels[i]).ToArray());
        var doubled = TemperatureFitter.Fit([.. logits, .. logits], [.. labels, .. labels]);

        Assert.Equal(fitted, shuffled, 1e-10);
        Assert.Equal(fitted, doubled, 1e-10);
    }

    [Fact]
    public void Is_symmetric_in_the_class_coding()
    {
        // Relabelling pneumonia as normal negates every logit; the calibration question is unchanged.
        var (logits, labels) = Simulate(2.3, 3_000, seed: 6);
        var flipped = TemperatureFitter.Fit(logits.Select(z => -z).ToArray(), labels.Select(y => 1 - y).ToArray());
        Assert.Equal(TemperatureFitter.Fit(logits, labels), flipped, 1e-10);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    public void Scaling_the_logits_scales_the_temperature(double scale)
    {
        var (logits, labels) = Simulate(1.5, 3_000, seed: 7);
        var fitted = TemperatureFitter.Fit(logits, labels);
        var scaled = TemperatureFitter.Fit(logits.Select(z => z * scale).ToArray(), labels);
        Assert.Equal(fitted * scale, scaled, 1e-10 * scaled);
    }

    [Fact]
    public void Separable_data_stop_at_the_lower_bound_instead_of_running_away()
    {
        double[] logits = [-3, -2, -1, -0.5, 0.5, 1, 2, 3];
        int[] labels = [0, 0, 0, 0, 1, 1, 1, 1];
        Assert.Equal(TemperatureFitter.MinTemperature, TemperatureFitter.Fit(logits, labels));
    }

    [Fact]
    public void Logits_unrelated_to_the_labels_push_toward_the_upper_bound()
    {
        // Perfectly balanced and uninformative: the best sigmoid is flat, i.e. T as large as allowed.
        double[] logits = [-2, -1, 1, 2, -2, -1, 1, 2];
        int[] labels = [0, 0, 0, 0, 1, 1, 1, 1];
        Assert.Equal(TemperatureFitter.MaxTemperature, TemperatureFitter.Fit(logits, labels));
    }

    [Fact]
    public void All_zero_logits_leave_the_temperature_at_one()
    {
        Assert.Equal(1.0, TemperatureFitter.Fit([0.0, 0.0, 0.0], [0, 1, 1]));
    }

    [Fact]
    public void Rejects_malformed_input()
    {
        Assert.Throws<ArgumentException>(() => TemperatureFitter.Fit([], []));
        Assert.Throws<ArgumentException>(() => TemperatureFitter.Fit([1.0], [0, 1]));
        Assert.Throws<ArgumentException>(() => TemperatureFitter.Fit([1.0], [2]));
        Assert.Throws<ArgumentException>(() => TemperatureFitter.Fit([double.NaN], [1]));
    }

    [Fact]
    public void Nll_is_stable_for_extreme_logits()
    {
        // A confidently wrong logit of 1000 costs 1000 nats, not infinity; a confidently right one costs ~0.
        Assert.Equal(1000.0, BinaryNll.Mean([1000.0], [0], 1.0), 1e-9);
        Assert.Equal(0.0, BinaryNll.Mean([1000.0], [1], 1.0), 1e-12);
    }
}
