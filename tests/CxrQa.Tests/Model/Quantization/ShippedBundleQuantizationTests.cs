using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Core.Model.Quantization;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Model.Quantization;

/// <summary>Quantizing the real single-network bundle: int8 logits stay close to fp32 on films it was not calibrated on.</summary>
public sealed class ShippedBundleQuantizationTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Int8_logits_of_the_fine_tuned_bundle_stay_close_to_fp32_on_synthesised_films()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "models", "cxrqa-finetuned-resnet18");
        var card = ModelBundle.Load(directory);
        var source = new OnnxGraph(File.ReadAllBytes(Path.Combine(directory, card.Card.Graph.File!)));
        card.Dispose();
        var preprocessor = new FilmPreprocessor(new PreprocessingOptions());
        float[] Input(GrayImage film) => preprocessor.Preprocess(film);

        // Calibrated on some synthesised chest films (through the serving preprocessing), checked on others.
        var calibration = Enumerable.Range(10, 12).Select(seed => Input(SyntheticFilms.Chest(280 + seed, 250, seed))).ToList();
        var quantizer = Int8Quantizer.Calibrate(source, calibration, ServingGraphContract.InputItemShape, 4,
            new ModelRuntimeOptions { IntraOpThreads = 2 }, keepFp32: Fp32Convolutions.Stem);
        var (int8, summary) = quantizer.Write(ActivationRangeMethod.MinMax);
        Assert.Equal(21, summary.Int8Convolutions);

        var checks = Enumerable.Range(1, 6).Select(seed => Input(SyntheticFilms.Chest(300, 260, seed))).ToArray();
        var batch = checks.SelectMany(c => c).ToArray();
        long[] shape = [checks.Length, 3, 224, 224];
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 2 };
        using var fp32Session = new Microsoft.ML.OnnxRuntime.InferenceSession(source.Bytes, options);
        using var int8Session = new Microsoft.ML.OnnxRuntime.InferenceSession(int8.Bytes, options);
        var fp32 = OrtRun.Many(fp32Session, ServingGraphContract.Input, batch, shape, ServingGraphContract.Logit, ServingGraphContract.FeatureMap);
        var quantized = OrtRun.Many(int8Session, ServingGraphContract.Input, batch, shape, ServingGraphContract.Logit, ServingGraphContract.FeatureMap);

        var logitSpread = fp32[ServingGraphContract.Logit].Max() - fp32[ServingGraphContract.Logit].Min();
        for (var i = 0; i < checks.Length; i++)
            Assert.InRange(Math.Abs(fp32[ServingGraphContract.Logit][i] - quantized[ServingGraphContract.Logit][i]), 0, Math.Max(1.0f, 0.1f * logitSpread));
        // The Grad-CAM input (last block, fp32) follows the fp32 one closely.
        var map = ModelOutputs.FeatureMapSize;
        for (var i = 0; i < checks.Length; i++)
            Assert.True(PrecisionComparisonPearson(fp32[ServingGraphContract.FeatureMap].AsSpan(i * map, map), quantized[ServingGraphContract.FeatureMap].AsSpan(i * map, map)) > 0.97);
    }

    [Fact]
    public void The_stage_options_keep_the_stem_layer1_and_layer2_of_the_real_graph_fp32()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "models", "cxrqa-finetuned-resnet18");
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        var prepared = QuantizationPreparation.Prepare(model);
        Assert.Equal(22, QdqPlan.For(prepared.Graph).QuantizedConvolutions.Count);
        Assert.Equal(21, QdqPlan.For(prepared.Graph, Fp32Convolutions.Stem).QuantizedConvolutions.Count);
        // Stem + layer1 (two blocks of two) = 5 convolutions; the additions of layer1 feed integer layer2, so stay int8.
        Assert.Equal(17, QdqPlan.For(prepared.Graph, Fp32Convolutions.FirstStage).QuantizedConvolutions.Count);
        // ... and layer2 (two blocks of two and its projection) = 10 convolutions.
        var second = QdqPlan.For(prepared.Graph, Fp32Convolutions.SecondStage);
        Assert.Equal(12, second.QuantizedConvolutions.Count);
        Assert.Subset(QdqPlan.For(prepared.Graph, Fp32Convolutions.FirstStage).QuantizedConvolutions.ToHashSet(), second.QuantizedConvolutions.ToHashSet());
    }

    private static double PrecisionComparisonPearson(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Core.Evaluation.PrecisionComparison.Pearson(a, b);
}
