using CxrQa.Core.Errors;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// Writes the QDQ graph a <see cref="QdqPlan"/> describes: QuantizeLinear/DequantizeLinear pairs with the calibrated
/// parameters after each planned tensor (every reader then reads the dequantized copy), int8 per-channel weights and
/// int32 biases behind DequantizeLinear (axis 0), and the fused ReLUs removed. Graph outputs keep their names and
/// stay float.
/// </summary>
public static class QdqGraphWriter
{
    public const string QuantizedSuffix = "_quantized";
    public const string DequantizedSuffix = "_dequantized";

    public static ModelProto Write(ModelProto prepared, QdqPlan plan, IReadOnlyDictionary<string, ActivationQuantParams> parameters)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(parameters);
        var model = prepared.Clone();
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);

        // Scale and zero-point initializers per quantized tensor (a MaxPool output reuses its input's).
        var qdqNames = new Dictionary<string, (string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        var activationParameters = new Dictionary<string, ActivationQuantParams>(StringComparer.Ordinal);
        foreach (var tensor in plan.CalibratedTensors)
        {
            if (!parameters.TryGetValue(tensor, out var p))
                throw new CxrQaException(ErrorCodes.ModelInvalid, $"cannot quantize: no calibrated range for tensor '{tensor}'");
            graph.Initializer.Add(TensorProtoFloats.Create(tensor + "_scale", [p.Scale]));
            graph.Initializer.Add(QuantizedTensors.UInt8(tensor + "_zero_point", [p.ZeroPoint]));
            qdqNames[tensor] = (tensor + "_scale", tensor + "_zero_point");
            activationParameters[tensor] = p;
        }
        foreach (var (output, input) in plan.SharedParameters)
        {
            qdqNames[output] = qdqNames[input];
            activationParameters[output] = activationParameters[input];
        }

        // A fused ReLU's input is renamed to the ReLU's output (the tensor its readers know).
        var nodes = graph.Node.ToList();
        var reluInputRename = nodes.Where(n => n.OpType == "Relu" && plan.FusedRelus.Contains(n.Output[0]))
            .ToDictionary(n => n.Input[0], n => n.Output[0], StringComparer.Ordinal);

        var written = new List<NodeProto>();
        void AppendQdq(string tensor)
        {
            var (scale, zeroPoint) = qdqNames[tensor];
            written.Add(new NodeProto { OpType = "QuantizeLinear", Name = tensor + "_quantize", Input = { tensor, scale, zeroPoint }, Output = { tensor + QuantizedSuffix } });
            written.Add(new NodeProto { OpType = "DequantizeLinear", Name = tensor + "_dequantize", Input = { tensor + QuantizedSuffix, scale, zeroPoint }, Output = { tensor + DequantizedSuffix } });
        }
        foreach (var input in graph.Input.Where(i => qdqNames.ContainsKey(i.Name)))
            AppendQdq(input.Name);

        foreach (var original in nodes)
        {
            if (original.OpType == "Relu" && plan.FusedRelus.Contains(original.Output[0])) continue;
            var node = original.Clone();
            var isQuantizedConv = node.OpType == "Conv" && plan.QuantizedConvolutions.Contains(original.Output[0]);
            if (isQuantizedConv)
            {
                var inputParameters = activationParameters.TryGetValue(node.Input[0], out var p) ? p
                    : throw new CxrQaException(ErrorCodes.ModelInvalid, $"cannot quantize: convolution '{node.Name}' reads unquantized '{node.Input[0]}'");
                QuantizeConvolutionConstants(graph, initializers, node, inputParameters, written);
            }
            for (var i = 0; i < node.Input.Count; i++)
                if (qdqNames.ContainsKey(node.Input[i])) node.Input[i] = node.Input[i] + DequantizedSuffix;
            for (var o = 0; o < node.Output.Count; o++)
                if (reluInputRename.TryGetValue(node.Output[o], out var renamed)) node.Output[o] = renamed;
            written.Add(node);
            foreach (var output in node.Output.Where(qdqNames.ContainsKey))
                AppendQdq(output);
        }

        graph.Node.Clear();
        graph.Node.AddRange(written);
        var read = written.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(i => !read.Contains(i.Name)).ToList())
            graph.Initializer.Remove(unused);
        // Shapes of renamed or removed tensors would be stale; ONNX Runtime infers them.
        graph.ValueInfo.Clear();
        return model;
    }

    /// <summary>Replaces the convolution's float weight (and bias) inputs by DequantizeLinear of int8 per-channel
    /// weights (and an int32 bias at scale input_scale x weight_scale), the layout ONNX Runtime fuses into QLinearConv.</summary>
    private static void QuantizeConvolutionConstants(GraphProto graph, Dictionary<string, TensorProto> initializers, NodeProto conv,
        ActivationQuantParams input, List<NodeProto> written)
    {
        var weightTensor = initializers[conv.Input[1]];
        var channels = (int)weightTensor.Dims[0];
        var weights = SymmetricWeightQuantization.Quantize(TensorProtoFloats.Read(weightTensor), channels);
        var prefix = conv.Output[0];
        var axis = new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 };

        graph.Initializer.Add(QuantizedTensors.Int8(prefix + "_weight_int8", weights.Values, [.. weightTensor.Dims]));
        graph.Initializer.Add(TensorProtoFloats.Create(prefix + "_weight_scale", weights.Scales, channels));
        graph.Initializer.Add(QuantizedTensors.Int8(prefix + "_weight_zero_point", new sbyte[channels], channels));
        written.Add(new NodeProto
        {
            OpType = "DequantizeLinear", Name = prefix + "_weight_dequantize",
            Input = { prefix + "_weight_int8", prefix + "_weight_scale", prefix + "_weight_zero_point" },
            Output = { prefix + "_weight" + DequantizedSuffix }, Attribute = { axis },
        });
        conv.Input[1] = prefix + "_weight" + DequantizedSuffix;

        if (conv.Input.Count < 3 || conv.Input[2].Length == 0) return;
        var bias = TensorProtoFloats.Read(initializers[conv.Input[2]]);
        var biasScales = weights.Scales.Select(s => SymmetricWeightQuantization.BiasScale(input.Scale, s)).ToArray();
        graph.Initializer.Add(QuantizedTensors.Int32(prefix + "_bias_int32",
            SymmetricWeightQuantization.QuantizeBias(bias, input.Scale, weights.Scales), channels));
        graph.Initializer.Add(TensorProtoFloats.Create(prefix + "_bias_scale", biasScales, channels));
        graph.Initializer.Add(QuantizedTensors.Int32(prefix + "_bias_zero_point", new int[channels], channels));
        written.Add(new NodeProto
        {
            OpType = "DequantizeLinear", Name = prefix + "_bias_dequantize",
            Input = { prefix + "_bias_int32", prefix + "_bias_scale", prefix + "_bias_zero_point" },
            Output = { prefix + "_bias" + DequantizedSuffix }, Attribute = { axis.Clone() },
        });
        conv.Input[2] = prefix + "_bias" + DequantizedSuffix;
    }
}
