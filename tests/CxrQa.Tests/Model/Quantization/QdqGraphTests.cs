using CxrQa.Core.Errors;
using CxrQa.Core.Model;
using CxrQa.Core.Model.Quantization;
using CxrQa.Tests.Support;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace CxrQa.Tests.Model.Quantization;

/// <summary>The graph rewrite on a small synthetic graph shaped like ours: what it computes, what ONNX Runtime makes of it.</summary>
public sealed class QdqGraphTests
{
    private static readonly long[] BatchShape = [4, 3, SyntheticResNetGraph.Side, SyntheticResNetGraph.Side];

    private static float[] Batch(int firstSeed) =>
        Enumerable.Range(firstSeed, 4).SelectMany(SyntheticResNetGraph.Image).ToArray();

    private static Dictionary<string, float[]> Run(byte[] graph, float[] batch, string? optimizedPath = null)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (optimizedPath is not null) options.OptimizedModelFilePath = optimizedPath;
        using var session = new InferenceSession(graph, options);
        return OrtRun.Many(session, ServingGraphContract.Input, batch, BatchShape,
            ServingGraphContract.Logit, ServingGraphContract.FeatureMap, ServingGraphContract.Embedding);
    }

    private static Int8Quantizer Calibrated(Fp32Convolutions keep = Fp32Convolutions.None) =>
        Int8Quantizer.Calibrate(SyntheticResNetGraph.Build(), Enumerable.Range(100, 32).Select(SyntheticResNetGraph.Image).ToList(),
            SyntheticResNetGraph.ItemShape, batchSize: 8, new ModelRuntimeOptions { IntraOpThreads = 1 }, keepFp32: keep);

    [Fact]
    public void Preparation_folds_batch_norms_and_fp16_weights_without_changing_the_outputs()
    {
        var source = SyntheticResNetGraph.Build();
        var prepared = QuantizationPreparation.Prepare(ModelProto.Parser.ParseFrom(source.Bytes));
        Assert.DoesNotContain(prepared.Graph.Node, n => n.OpType is "BatchNormalization" or "Cast");
        Assert.Equal(QuantizationPreparation.Opset, prepared.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(QuantizationPreparation.IrVersion, prepared.IrVersion);

        var batch = Batch(1);
        var expected = Run(source.Bytes, batch);
        var actual = Run(prepared.ToByteArray(), batch);
        foreach (var (name, values) in expected)
            Assert.InRange(TestImages.MaxAbsDiff(values, actual[name]), 0, 1e-3f * (1 + values.Max(MathF.Abs)));
    }

    [Fact]
    public void The_plan_fuses_relus_into_quantization_and_keeps_the_last_block_fp32()
    {
        var prepared = QuantizationPreparation.Prepare(ModelProto.Parser.ParseFrom(SyntheticResNetGraph.Build().Bytes));
        var plan = QdqPlan.For(prepared.Graph);
        Assert.Equal(SyntheticResNetGraph.ConvolutionCount, plan.QuantizedConvolutions.Count);
        // r0 (stem), r1, r2 (residual addition), r3; r4 makes feature_map and stays a ReLU.
        Assert.Equal(["r0", "r1", "r2", "r3"], plan.FusedRelus.Order(StringComparer.Ordinal));
        Assert.Equal("r0", plan.SharedParameters["p0"]);
        Assert.DoesNotContain("r4", plan.CalibratedTensors);
        Assert.DoesNotContain("a4", plan.CalibratedTensors);
        Assert.Contains("centered", plan.CalibratedTensors);

        var stemKept = QdqPlan.For(prepared.Graph, Fp32Convolutions.Stem);
        Assert.Equal(SyntheticResNetGraph.ConvolutionCount - 1, stemKept.QuantizedConvolutions.Count);
        Assert.DoesNotContain("centered", stemKept.CalibratedTensors);
        var finalKept = QdqPlan.For(prepared.Graph, Fp32Convolutions.FinalBlock);
        Assert.Equal(SyntheticResNetGraph.ConvolutionCount - 2, finalKept.QuantizedConvolutions.Count);
    }

    [Fact]
    public void Onnx_runtime_fuses_every_quantized_convolution_and_the_int8_outputs_stay_close_to_fp32()
    {
        using var temp = new TempDirectory();
        var quantizer = Calibrated();
        var (graph, summary) = quantizer.Write(ActivationRangeMethod.MinMax);
        Assert.Equal(SyntheticResNetGraph.ConvolutionCount, summary.Int8Convolutions);

        var batch = Batch(1);
        var fp32 = Run(quantizer.PreparedGraph().Bytes, batch);
        var optimized = Path.Combine(temp.Path, "int8.opt.onnx");
        var int8 = Run(graph.Bytes, batch, optimized);

        var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(SyntheticResNetGraph.ConvolutionCount, ops.GetValueOrDefault("QLinearConv"));
        Assert.Equal(1, ops.GetValueOrDefault("QLinearAdd"));
        Assert.False(ops.ContainsKey("Conv"), "a convolution was left in fp32: " + string.Join(", ", ops.Select(p => $"{p.Key} {p.Value}")));

        // The outputs keep their names and shapes, and stay within a few quantization steps of fp32.
        foreach (var (name, values) in fp32)
        {
            Assert.Equal(values.Length, int8[name].Length);
            var spread = values.Max() - values.Min();
            Assert.InRange(TestImages.MaxAbsDiff(values, int8[name]), 0, 0.05f * spread + 1e-4f);
        }
        Assert.NotEqual(fp32[ServingGraphContract.Logit], int8[ServingGraphContract.Logit]);
    }

    [Fact]
    public void A_kept_stem_runs_in_fp32_and_the_rest_still_fuses()
    {
        using var temp = new TempDirectory();
        var (graph, _) = Calibrated(Fp32Convolutions.Stem).Write(ActivationRangeMethod.OfPercentile(99.999));
        var optimized = Path.Combine(temp.Path, "int8.opt.onnx");
        Run(graph.Bytes, Batch(1), optimized);
        var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(SyntheticResNetGraph.ConvolutionCount - 1, ops.GetValueOrDefault("QLinearConv"));
    }

    [Fact]
    public void A_batch_norm_that_follows_no_convolution_is_refused_clearly()
    {
        var model = ModelProto.Parser.ParseFrom(SyntheticResNetGraph.Build().Bytes);
        var bn = model.Graph.Node.First(n => n.OpType == "BatchNormalization");
        bn.Input[0] = "centered";
        var e = Assert.Throws<CxrQaException>(() => QuantizationPreparation.Prepare(model));
        Assert.Contains("BatchNormalization", e.Message);
    }
}
