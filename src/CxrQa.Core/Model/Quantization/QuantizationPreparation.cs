using System.Buffers.Binary;
using CxrQa.Core.Errors;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// Turns a serving graph into the fp32 graph that is quantized, computing the same function up to float rounding:
/// <list type="bullet">
/// <item>fp16-stored weights (<c>Cast</c> of a float16 initializer, what the fp16 bundle writer makes) become float
/// initializers again;</item>
/// <item>every BatchNormalization is folded into the convolution before it (W' = W s, b' = (b - mean) s + beta with
/// s = gamma / sqrt(var + eps)), so one int8 convolution does the work of both;</item>
/// <item>the default-domain opset becomes 13 (QuantizeLinear/DequantizeLinear with a per-channel axis) and the IR
/// version 7, where initializers are constants: ONNX Runtime may then pre-pack the int8 weights.</item>
/// </list>
/// The same prepared graph is ONNX Runtime's fp32 baseline in the benchmarks, so int8 is compared with the best fp32.
/// </summary>
public static class QuantizationPreparation
{
    public const int Opset = 13;
    public const int IrVersion = 7;

    public static ModelProto Prepare(ModelProto source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var model = source.Clone();
        var graph = model.Graph ?? throw new CxrQaException(ErrorCodes.ModelInvalid, "the model has no graph");
        MaterialiseFp16Weights(graph);
        FoldBatchNormalization(graph);
        DropUnusedInitializers(graph);
        model.IrVersion = Math.Max(model.IrVersion, IrVersion);
        var defaultDomain = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (defaultDomain is null) model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        else defaultDomain.Version = Math.Max(defaultDomain.Version, Opset);
        return model;
    }

    private static void MaterialiseFp16Weights(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var cast in graph.Node.Where(n => n.OpType == "Cast").ToList())
        {
            if (!initializers.TryGetValue(cast.Input[0], out var half) || half.DataType != (int)TensorProto.Types.DataType.Float16
                || cast.Attribute.FirstOrDefault(a => a.Name == "to")?.I != (long)TensorProto.Types.DataType.Float)
                continue;
            graph.Initializer.Add(TensorProtoFloats.Create(cast.Output[0], ReadHalves(half), [.. half.Dims]));
            graph.Node.Remove(cast);
        }
    }

    private static float[] ReadHalves(TensorProto tensor)
    {
        var raw = tensor.RawData.Span;
        if (raw.Length > 0)
        {
            var values = new float[raw.Length / 2];
            for (var i = 0; i < values.Length; i++)
                values[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(2 * i)));
            return values;
        }
        // int32_data holds float16 bit patterns when raw_data is not used.
        return tensor.Int32Data.Select(bits => (float)BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray();
    }

    private static void FoldBatchNormalization(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var bn in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            var conv = graph.Node.SingleOrDefault(n => n.OpType == "Conv" && n.Output[0] == bn.Input[0]);
            var readers = graph.Node.Count(n => n.Input.Contains(bn.Input[0]));
            if (conv is null || readers != 1 || outputs.Contains(bn.Input[0]) || bn.Output.Count != 1)
                throw new CxrQaException(ErrorCodes.ModelInvalid,
                    $"cannot quantize: BatchNormalization '{bn.Name}' does not follow a convolution it alone reads");
            float[] Param(int i) => initializers.TryGetValue(bn.Input[i], out var t) ? TensorProtoFloats.Read(t)
                : throw new CxrQaException(ErrorCodes.ModelInvalid, $"cannot quantize: BatchNormalization '{bn.Name}' input '{bn.Input[i]}' is not a constant");
            var (gamma, beta, mean, variance) = (Param(1), Param(2), Param(3), Param(4));
            var epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            var weightTensor = initializers.TryGetValue(conv.Input[1], out var w) ? w
                : throw new CxrQaException(ErrorCodes.ModelInvalid, $"cannot quantize: convolution '{conv.Name}' weight '{conv.Input[1]}' is not a constant");
            var weights = TensorProtoFloats.Read(weightTensor);
            var channels = gamma.Length;
            var perChannel = weights.Length / channels;
            var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? TensorProtoFloats.Read(initializers[conv.Input[2]]) : new float[channels];
            var folded = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                var s = gamma[c] / MathF.Sqrt(variance[c] + epsilon);
                for (var i = 0; i < perChannel; i++) weights[c * perChannel + i] *= s;
                folded[c] = (bias[c] - mean[c]) * s + beta[c];
            }
            var weightName = conv.Name + "_folded_weight";
            var biasName = conv.Name + "_folded_bias";
            graph.Initializer.Add(TensorProtoFloats.Create(weightName, weights, [.. weightTensor.Dims]));
            graph.Initializer.Add(TensorProtoFloats.Create(biasName, folded, channels));
            conv.Input[1] = weightName;
            if (conv.Input.Count > 2) conv.Input[2] = biasName;
            else conv.Input.Add(biasName);
            conv.Output[0] = bn.Output[0];
            graph.Node.Remove(bn);
        }
    }

    private static void DropUnusedInitializers(GraphProto graph)
    {
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(i => !read.Contains(i.Name)).ToList())
            graph.Initializer.Remove(unused);
        // IR 3 lists initializers among the inputs (overridable at run time); constants may be folded and pre-packed.
        var constants = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var input in graph.Input.Where(i => constants.Contains(i.Name)).ToList())
            graph.Input.Remove(input);
    }
}
