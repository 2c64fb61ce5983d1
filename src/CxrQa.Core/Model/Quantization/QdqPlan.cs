using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// Which tensors of a prepared graph (<see cref="QuantizationPreparation"/>) get a QuantizeLinear/DequantizeLinear
/// pair, laid out so that ONNX Runtime fuses the pairs into integer kernels:
/// <list type="bullet">
/// <item>every convolution: its input and its output (DQ -> Conv -> Q becomes QLinearConv, int8 weights per channel);</item>
/// <item>a ReLU that alone reads a convolution's or addition's output disappears: the output is quantized with the
/// ReLU's range, whose zero point is 0, so QuantizeLinear's saturation at 0 is the ReLU;</item>
/// <item>an Add whose (ReLU'd) result feeds other quantized operators: both inputs and the output (QLinearAdd);</item>
/// <item>MaxPool: input quantized, output with the input's parameters (ONNX Runtime then pools uint8 directly).</item>
/// </list>
/// A tensor that is a graph output, or that only fp32 operators read (the last block, whose ReLU output is the
/// Grad-CAM <c>feature_map</c> and, pooled, the <c>embedding</c> and the head), stays fp32: those outputs are as exact
/// as the integer layers before them allow, and the linear head stays fp32.
/// </summary>
public sealed class QdqPlan
{
    private QdqPlan() { }

    /// <summary>Tensors whose calibrated range sets their own quantization parameters (names in the prepared graph).</summary>
    public IReadOnlyList<string> CalibratedTensors { get; private init; } = [];

    /// <summary>MaxPool outputs and the input whose parameters they share.</summary>
    public IReadOnlyDictionary<string, string> SharedParameters { get; private init; } = new Dictionary<string, string>();

    /// <summary>ReLU nodes (by output name) removed because the quantization of their output does their work.</summary>
    public IReadOnlySet<string> FusedRelus { get; private init; } = new HashSet<string>();

    /// <summary>Convolutions (by output name in the prepared graph) whose weights become int8.</summary>
    public IReadOnlySet<string> QuantizedConvolutions { get; private init; } = new HashSet<string>();

    private static IEnumerable<long> Ints(NodeProto node, string attribute) =>
        node.Attribute.FirstOrDefault(a => a.Name == attribute)?.Ints ?? Enumerable.Empty<long>();

    public static QdqPlan For(GraphProto graph, Fp32Convolutions keepFp32 = Fp32Convolutions.None)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var readers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
            foreach (var input in node.Input.Where(i => i.Length > 0))
                (readers.TryGetValue(input, out var list) ? list : readers[input] = []).Add(node);
        var constants = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<NodeProto> ReadersOf(string tensor) => readers.TryGetValue(tensor, out var list) ? list : [];

        // The tensor an operator's result is finally known as: its output, or the output of a ReLU that alone reads it.
        var fusedRelus = new HashSet<string>(StringComparer.Ordinal);
        string Result(NodeProto node)
        {
            var output = node.Output[0];
            var next = ReadersOf(output);
            if (next.Count == 1 && next[0].OpType == "Relu" && !graphOutputs.Contains(output) && !graphOutputs.Contains(next[0].Output[0]))
                return next[0].Output[0];
            return output;
        }

        var graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        // The stem reads the image itself (or the image minus the mean image): keeping it fp32 keeps the film exact.
        bool IsStem(NodeProto conv) => graphInputs.Contains(conv.Input[0])
            || graph.Node.Any(n => n.Output.Contains(conv.Input[0]) && n.Input.Any(graphInputs.Contains));
        // The first stage: every convolution before the first 1x1 stride-2 projection (the stem and layer1 of a ResNet);
        // the second: those before the second projection (layer2, which an ensemble's members share).
        var projections = graph.Node.Select((n, i) => (n, i)).Where(p => p.n.OpType == "Conv"
            && Ints(p.n, "kernel_shape").SequenceEqual([1L, 1L]) && Ints(p.n, "strides").SequenceEqual([2L, 2L])).Select(p => p.i).ToList();
        bool Before(int projection, NodeProto conv) => projections.Count > projection && graph.Node.IndexOf(conv) < projections[projection];
        bool EarlyFp32(NodeProto conv) => (keepFp32.HasFlag(Fp32Convolutions.Stem) && IsStem(conv))
            || (keepFp32.HasFlag(Fp32Convolutions.FirstStage) && Before(0, conv))
            || (keepFp32.HasFlag(Fp32Convolutions.SecondStage) && Before(1, conv));
        // Operators that run on integers once their inputs are quantized (a convolution kept fp32 does not).
        bool HasIntegerReader(string tensor) => ReadersOf(tensor).Any(r => r.OpType switch
        {
            "Conv" => !EarlyFp32(r),
            "MaxPool" => HasIntegerReader(r.Output[0]),
            "Add" => IsIntegerAdd(r),
            _ => false,
        });
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node) foreach (var output in node.Output) producers[output] = node;
        NodeProto? ConvProducing(string tensor)
        {
            if (!producers.TryGetValue(tensor, out var p)) return null;
            if (p.OpType == "Relu" && producers.TryGetValue(p.Input[0], out var q)) p = q;
            return p.OpType == "Conv" ? p : null;
        }
        bool IsIntegerAdd(NodeProto add) =>
            !graphOutputs.Contains(Result(add)) && HasIntegerReader(Result(add)) && !add.Input.Any(constants.Contains);
        // The final blocks: those whose addition stays fp32 (it makes feature_map). Their last convolution writes the
        // signed pre-addition values straight into the embedding.
        var finalConvolutions = graph.Node.Where(n => n.OpType == "Add" && !IsIntegerAdd(n))
            .SelectMany(add => add.Input.Select(ConvProducing)).OfType<NodeProto>().ToList();
        var finalBlocks = finalConvolutions.Concat(finalConvolutions.Select(c => ConvProducing(c.Input[0])).OfType<NodeProto>()).ToList();
        bool KeptFp32(NodeProto conv) =>
            EarlyFp32(conv)
            || (keepFp32.HasFlag(Fp32Convolutions.FinalConvolution) && finalConvolutions.Contains(conv))
            || (keepFp32.HasFlag(Fp32Convolutions.FinalBlock) && finalBlocks.Contains(conv));
        var convolutions = graph.Node.Where(n => n.OpType == "Conv" && n.Input.Count >= 2 && constants.Contains(n.Input[1]) && !KeptFp32(n)).ToList();
        var quantized = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Quantize(string tensor)
        {
            if (!constants.Contains(tensor) && !graphOutputs.Contains(tensor) && seen.Add(tensor)) quantized.Add(tensor);
        }
        void FuseReluAfter(NodeProto node)
        {
            var result = Result(node);
            if (result != node.Output[0]) fusedRelus.Add(result);
            Quantize(result);
        }

        foreach (var conv in convolutions)
        {
            Quantize(conv.Input[0]);
            if (!graphOutputs.Contains(Result(conv))) FuseReluAfter(conv);
        }
        foreach (var add in graph.Node.Where(n => n.OpType == "Add"))
        {
            var result = Result(add);
            if (!IsIntegerAdd(add)) continue;
            foreach (var input in add.Input) Quantize(input);
            FuseReluAfter(add);
        }
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pool in graph.Node.Where(n => n.OpType == "MaxPool" && n.Output.Count == 1 && HasIntegerReader(n.Output[0])))
        {
            Quantize(pool.Input[0]);
            if (!graphOutputs.Contains(pool.Output[0])) shared[pool.Output[0]] = pool.Input[0];
        }
        quantized.RemoveAll(shared.ContainsKey);
        return new QdqPlan
        {
            CalibratedTensors = quantized,
            SharedParameters = shared,
            FusedRelus = fusedRelus,
            QuantizedConvolutions = convolutions.Select(c => c.Output[0]).ToHashSet(StringComparer.Ordinal),
        };
    }
}

/// <summary>Convolutions to keep in fp32 (weights, input and output), trading speed for fidelity.</summary>
[Flags]
public enum Fp32Convolutions
{
    None = 0,
    /// <summary>The first convolution, which reads the film.</summary>
    Stem = 1,
    /// <summary>The last convolution of each final block (before the fp32 addition that makes feature_map).</summary>
    FinalConvolution = 2,
    /// <summary>Both convolutions of each final block.</summary>
    FinalBlock = 4,
    /// <summary>Every convolution before the first stride-2 projection (stem and first stage).</summary>
    FirstStage = 8,
    /// <summary>Every convolution before the second stride-2 projection (stem, first and second stage).</summary>
    SecondStage = 16,
}
