using CxrQa.Core.Model.Quantization;

namespace CxrQa.Tests.Model.Quantization;

/// <summary>Properties of the scale/zero-point maths, over many random ranges, values and weights.</summary>
public sealed class QuantizationMathTests
{
    [Fact]
    public void Activations_inside_the_range_round_trip_within_half_a_step_and_zero_is_exact()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 2000; trial++)
        {
            var a = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)));
            var b = (float)((random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-3, 4)));
            var (min, max) = (Math.Min(a, b), Math.Max(a, b));
            var p = ActivationQuantization.FromRange(min, max);
            Assert.True(p.Scale > 0);
            Assert.Equal(0f, ActivationQuantization.Dequantize(ActivationQuantization.Quantize(0f, p), p));
            var (lo, hi) = ActivationQuantization.Representable(p);
            // The representable range covers [min, max] widened to 0, up to half a step of zero-point rounding.
            Assert.True(lo <= Math.Min(min, 0) + p.Scale / 2 + 1e-6f * Math.Abs(min), $"{lo} > {min} for [{min}, {max}]");
            Assert.True(hi >= Math.Max(max, 0) - p.Scale / 2 - 1e-6f * Math.Abs(max), $"{hi} < {max} for [{min}, {max}]");
            for (var k = 0; k < 20; k++)
            {
                var x = (float)(lo + random.NextDouble() * (hi - lo));
                var error = Math.Abs(ActivationQuantization.Dequantize(ActivationQuantization.Quantize(x, p), p) - x);
                Assert.True(error <= p.Scale / 2 * 1.0001f + 1e-6f, $"error {error} > scale/2 {p.Scale / 2} at {x}");
            }
        }
    }

    [Fact]
    public void Values_outside_the_range_saturate()
    {
        var p = ActivationQuantization.FromRange(0, 10);
        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(0, ActivationQuantization.Quantize(-3, p));
        Assert.Equal(255, ActivationQuantization.Quantize(1e6f, p));
    }

    [Fact]
    public void An_all_zero_tensor_gets_a_usable_scale_and_bad_ranges_are_refused()
    {
        Assert.Equal(new ActivationQuantParams(1f, 0), ActivationQuantization.FromRange(0, 0));
        Assert.Throws<ArgumentException>(() => ActivationQuantization.FromRange(2, 1));
        Assert.Throws<ArgumentException>(() => ActivationQuantization.FromRange(float.NaN, 1));
    }

    [Fact]
    public void Per_channel_symmetric_weights_use_each_channels_own_scale_and_stay_within_127()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var channels = random.Next(1, 9);
            var perChannel = random.Next(1, 40);
            var weights = new float[channels * perChannel];
            for (var c = 0; c < channels; c++)
            {
                var magnitude = Math.Pow(10, random.Next(-4, 2));
                for (var i = 0; i < perChannel; i++) weights[c * perChannel + i] = (float)((random.NextDouble() * 2 - 1) * magnitude);
            }
            var q = SymmetricWeightQuantization.Quantize(weights, channels);
            Assert.Equal(channels, q.Scales.Length);
            for (var c = 0; c < channels; c++)
            {
                var channel = weights.AsSpan(c * perChannel, perChannel).ToArray();
                var maxAbs = channel.Max(MathF.Abs);
                Assert.Equal(maxAbs / 127, q.Scales[c], 6);
                // The largest weight maps to +-127 exactly.
                Assert.Contains(q.Values.Skip(c * perChannel).Take(perChannel), v => Math.Abs((int)v) == 127);
                for (var i = 0; i < perChannel; i++)
                {
                    var v = q.Values[c * perChannel + i];
                    Assert.InRange((int)v, -127, 127);
                    Assert.True(Math.Abs(v * q.Scales[c] - channel[i]) <= q.Scales[c] / 2 * 1.0001f);
                }
            }
        }
    }

    [Fact]
    public void An_all_zero_channel_quantizes_to_zeros()
    {
        var q = SymmetricWeightQuantization.Quantize([0f, 0f, 1f, -2f], 2);
        Assert.Equal([0, 0, 64, -127], q.Values.Select(v => (int)v));
        Assert.Equal(1f, q.Scales[0]);
        Assert.Throws<ArgumentException>(() => SymmetricWeightQuantization.Quantize([1f, 2f, 3f], 2));
    }

    [Fact]
    public void Int32_biases_round_trip_within_half_their_scale()
    {
        var random = new Random(9);
        for (var trial = 0; trial < 500; trial++)
        {
            var inputScale = (float)(random.NextDouble() * 0.5 + 1e-3);
            var scales = Enumerable.Range(0, 6).Select(_ => (float)(random.NextDouble() * 0.01 + 1e-5)).ToArray();
            var bias = Enumerable.Range(0, 6).Select(_ => (float)((random.NextDouble() - 0.5) * 20)).ToArray();
            var q = SymmetricWeightQuantization.QuantizeBias(bias, inputScale, scales);
            for (var c = 0; c < bias.Length; c++)
            {
                var scale = SymmetricWeightQuantization.BiasScale(inputScale, scales[c]);
                Assert.True(Math.Abs(q[c] * (double)scale - bias[c]) <= scale / 2 * 1.0001 + 1e-9);
            }
        }
    }

    [Fact]
    public void Histogram_quantiles_are_exact_to_one_bin_and_min_max_are_exact()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 50_000).Select(_ => (float)(Math.Exp(random.NextDouble() * 4) - 3)).ToArray();
        var (lo, hi) = (values.Min(), values.Max());
        var histogram = new ActivationHistogram(lo, hi, 1024);
        histogram.Add(values.AsSpan(0, 20_000));
        histogram.Add(values.AsSpan(20_000));
        Assert.Equal(lo, histogram.Min);
        Assert.Equal(hi, histogram.Max);
        var sorted = values.Order().ToArray();
        var bin = (hi - lo) / 1024;
        foreach (var q in new[] { 0.0001, 0.01, 0.5, 0.9, 0.999, 0.9999 })
        {
            var exact = sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
            Assert.InRange(histogram.Quantile(q), exact - 1.01f * bin, exact + 1.01f * bin);
        }
        Assert.Equal((lo, hi), ActivationRangeMethod.MinMax.RangeOf(histogram));
        var (plo, phi) = ActivationRangeMethod.OfPercentile(99).RangeOf(histogram);
        Assert.True(plo > lo && phi < hi);
    }

    [Theory]
    [InlineData("minmax", null)]
    [InlineData("percentile:99.99", 99.99)]
    [InlineData("PERCENTILE:99.999", 99.999)]
    public void Range_methods_parse_and_print_back(string text, double? percentile)
    {
        var method = ActivationRangeMethod.Parse(text);
        Assert.Equal(percentile, method.Percentile);
        Assert.Equal(method, ActivationRangeMethod.Parse(method.ToString()));
    }

    [Theory]
    [InlineData("entropy")]
    [InlineData("percentile:")]
    [InlineData("percentile:40")]
    [InlineData("percentile:101")]
    public void Unknown_range_methods_are_refused_with_the_choices(string text)
    {
        var e = Assert.Throws<FormatException>(() => ActivationRangeMethod.Parse(text));
        Assert.Contains("percentile:99.99", e.Message);
    }
}
