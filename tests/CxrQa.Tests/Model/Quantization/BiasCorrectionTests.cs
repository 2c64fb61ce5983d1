using CxrQa.Core.Model;
using CxrQa.Core.Model.Quantization;
using Onnx;

namespace CxrQa.Tests.Model.Quantization;

/// <summary>Empirical bias correction: the channel-mean maths, and what it does to the synthetic graph's int8 convolutions.</summary>
public sealed class BiasCorrectionTests
{
    private static readonly ModelRuntimeOptions OneThread = new() { IntraOpThreads = 1 };
    private static readonly IReadOnlyList<float[]> CalibrationImages = Enumerable.Range(100, 32).Select(SyntheticResNetGraph.Image).ToList();

    [Fact]
    public void Channel_means_over_batches_equal_the_mean_of_every_value_of_the_channel()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var (channels, plane, batches) = (random.Next(1, 6), random.Next(1, 20), random.Next(1, 4));
            var means = new ChannelMeans(channels);
            var all = Enumerable.Range(0, channels).Select(_ => new List<double>()).ToArray();
            for (var b = 0; b < batches; b++)
            {
                var items = random.Next(1, 4);
                var values = Enumerable.Range(0, items * channels * plane).Select(_ => (float)(random.NextDouble() * 200 - 50)).ToArray();
                for (var i = 0; i < values.Length; i++) all[i / plane % channels].Add(values[i]);
                means.Add(values, items);
            }
            var actual = means.Means();
            for (var c = 0; c < channels; c++)
                Assert.Equal(all[c].Average(), actual[c], 1e-9 * (1 + Math.Abs(all[c].Average())));
        }
    }

    [Fact]
    public void Channel_means_refuse_values_that_do_not_split_into_the_channels()
    {
        var means = new ChannelMeans(3);
        Assert.Throws<ArgumentException>(() => means.Add(new float[10], 2));
        Assert.Throws<InvalidOperationException>(() => means.Means());
    }

    [Fact]
    public void Apply_adds_each_correction_to_its_convolutions_bias_and_leaves_the_others()
    {
        var prepared = QuantizationPreparation.Prepare(ModelProto.Parser.ParseFrom(SyntheticResNetGraph.Build().Bytes));
        var conv = prepared.Graph.Node.First(n => n.OpType == "Conv");
        var other = prepared.Graph.Node.Last(n => n.OpType == "Conv");
        float[] Bias(ModelProto m, NodeProto c) =>
            TensorProtoFloats.Read(m.Graph.Initializer.Single(i => i.Name == m.Graph.Node.Single(n => n.Output[0] == c.Output[0]).Input[2]));
        var correction = Enumerable.Range(0, SyntheticResNetGraph.Channels).Select(c => 0.25f * c - 1).ToArray();

        var corrected = BiasCorrection.Apply(prepared, new Dictionary<string, float[]> { [conv.Output[0]] = correction });

        var (before, after) = (Bias(prepared, conv), Bias(corrected, conv));
        for (var c = 0; c < before.Length; c++) Assert.Equal(before[c] + correction[c], after[c], 1e-6f);
        Assert.Equal(Bias(prepared, other), Bias(corrected, other));
        Assert.Throws<ArgumentException>(() => BiasCorrection.Apply(prepared, new Dictionary<string, float[]> { [conv.Output[0]] = [1f] }));
    }

    [Fact]
    public void Correction_removes_each_int8_convolutions_own_mean_shift()
    {
        var quantizer = Int8Quantizer.Calibrate(SyntheticResNetGraph.Build(), CalibrationImages, SyntheticResNetGraph.ItemShape, batchSize: 8,
            OneThread, keepFp32: Fp32Convolutions.None);
        var method = ActivationRangeMethod.MinMax;
        var before = BiasCorrection.MeanShifts(quantizer, method, null, CalibrationImages, SyntheticResNetGraph.ItemShape, 8, OneThread);
        var corrections = BiasCorrection.Fit(quantizer, method, CalibrationImages, SyntheticResNetGraph.ItemShape, 8, OneThread, rounds: 2);
        var after = BiasCorrection.MeanShifts(quantizer, method, corrections, CalibrationImages, SyntheticResNetGraph.ItemShape, 8, OneThread);

        Assert.Equal(SyntheticResNetGraph.ConvolutionCount, corrections.Count);
        Assert.Equal(corrections.Keys.Order(), before.Keys.Order());
        foreach (var (conv, shift) in before)
        {
            Assert.True(shift.Max(Math.Abs) > 0, $"quantization shifted no channel mean of {conv}: the test measures nothing");
            // Left: the int32 rounding of the corrected bias and how the last round's correction moved later inputs.
            Assert.InRange(after[conv].Max(Math.Abs), 0, 0.1 * shift.Max(Math.Abs) + 1e-4);
        }
        // The stem reads the film itself (its input is the same in every round), so its correction is exact.
        var stem = quantizer.Prepared.Graph.Node.First(n => n.OpType == "Conv").Output[0];
        for (var c = 0; c < before[stem].Length; c++) Assert.Equal(-before[stem][c], corrections[stem][c], 1e-3 * (1 + Math.Abs(before[stem][c])));
    }
}
