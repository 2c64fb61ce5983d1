using Google.Protobuf;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// Empirical bias correction (Nagel et al. 2019, "Data-free quantization through weight equalization and bias
/// correction", section 4.2, with the expectation measured on calibration films instead of derived from batch-norm
/// statistics): rounding a convolution's weights to int8 shifts the mean of each output channel by (W_int8 - W) E[x],
/// and every later layer inherits the shift. Each int8 convolution's own shift is measured inside the int8 graph,
/// against an fp32 twin of it that reads the same (quantized) input, so that a layer corrects only its own error,
/// not the upstream errors the upstream layers already correct; the per-channel mean difference over the calibration
/// inputs is taken off the bias. A correction changes what later layers see, so later rounds measure again and add
/// what is left.
/// </summary>
public static class BiasCorrection
{
    /// <summary>Per quantized convolution (by its output name in the prepared graph), what to add to each channel's bias.</summary>
    public static IReadOnlyDictionary<string, float[]> Fit(Int8Quantizer quantizer, ActivationRangeMethod method, IReadOnlyList<float[]> inputs,
        IReadOnlyList<int> itemShape, int batchSize, ModelRuntimeOptions runtime, int rounds,
        IProgress<(int Round, int Done)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var corrections = Convolutions(quantizer).ToDictionary(c => c.Output[0], c => new float[Channels(quantizer, c)], StringComparer.Ordinal);
        for (var round = 1; round <= rounds; round++)
        {
            var r = round;
            var shifts = OwnShifts(quantizer, method, corrections, inputs, itemShape, batchSize, runtime, done => progress?.Report((r, done)), cancellationToken);
            foreach (var (conv, correction) in corrections)
                for (var c = 0; c < correction.Length; c++)
                    correction[c] -= (float)shifts[conv][c];
        }
        return corrections;
    }

    /// <summary>Per quantized convolution and output channel, the mean of its int8 output minus the output of its fp32
    /// weights and bias on the same input, over the inputs (what <see cref="Fit"/> drives towards zero).</summary>
    public static IReadOnlyDictionary<string, double[]> MeanShifts(Int8Quantizer quantizer, ActivationRangeMethod method,
        IReadOnlyDictionary<string, float[]>? corrections, IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize,
        ModelRuntimeOptions runtime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        return OwnShifts(quantizer, method, corrections, inputs, itemShape, batchSize, runtime, _ => { }, cancellationToken);
    }

    private static List<NodeProto> Convolutions(Int8Quantizer quantizer) =>
        quantizer.Prepared.Graph.Node.Where(n => n.OpType == "Conv" && quantizer.Plan.QuantizedConvolutions.Contains(n.Output[0])).ToList();

    private static int Channels(Int8Quantizer quantizer, NodeProto conv) =>
        (int)quantizer.Prepared.Graph.Initializer.Single(i => i.Name == conv.Input[1]).Dims[0];

    private static Dictionary<string, double[]> OwnShifts(Int8Quantizer quantizer, ActivationRangeMethod method,
        IReadOnlyDictionary<string, float[]>? corrections, IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize,
        ModelRuntimeOptions runtime, Action<int> progress, CancellationToken cancellationToken)
    {
        var prepared = quantizer.Prepared.Graph;
        var fp32 = prepared.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var model = ModelProto.Parser.ParseFrom(quantizer.Write(method, corrections).Graph.Bytes);
        var graph = model.Graph;
        var pairs = new Dictionary<string, (string Int8, string Twin, int Channels)>(StringComparer.Ordinal);
        foreach (var conv in Convolutions(quantizer))
        {
            // In the QDQ graph a convolution followed by a fused ReLU writes, before quantization, under the ReLU's name.
            var written = prepared.Node.FirstOrDefault(r => r.OpType == "Relu" && r.Input[0] == conv.Output[0]
                && quantizer.Plan.FusedRelus.Contains(r.Output[0]))?.Output[0] ?? conv.Output[0];
            var int8 = graph.Node.Single(n => n.OpType == "Conv" && n.Output[0] == written);
            var twin = int8.Clone();
            twin.Name = conv.Output[0] + "_fp32_twin";
            twin.Output[0] = twin.Name;
            twin.Input[1] = twin.Name + "_weight";
            graph.Initializer.Add(Renamed(fp32[conv.Input[1]], twin.Input[1]));
            if (twin.Input.Count > 2 && conv.Input.Count > 2)
            {
                twin.Input[2] = twin.Name + "_bias";
                graph.Initializer.Add(Renamed(fp32[conv.Input[2]], twin.Input[2]));
            }
            graph.Node.Add(twin);
            pairs[conv.Output[0]] = (written, twin.Output[0], Channels(quantizer, conv));
        }
        var means = Means(model, pairs.Values.SelectMany(p => new[] { (p.Int8, p.Channels), (p.Twin, p.Channels) }),
            inputs, itemShape, batchSize, runtime, progress, cancellationToken);
        return pairs.ToDictionary(p => p.Key, p => means[p.Value.Int8].Zip(means[p.Value.Twin], (q, f) => q - f).ToArray(), StringComparer.Ordinal);
    }

    private static TensorProto Renamed(TensorProto tensor, string name)
    {
        var copy = tensor.Clone();
        copy.Name = name;
        return copy;
    }

    /// <summary>Adds the corrections to the biases of a prepared graph's convolutions (a convolution without a bias gets one).</summary>
    public static ModelProto Apply(ModelProto prepared, IReadOnlyDictionary<string, float[]> corrections)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(corrections);
        var model = prepared.Clone();
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv" && corrections.ContainsKey(n.Output[0])))
        {
            var correction = corrections[conv.Output[0]];
            var hasBias = conv.Input.Count > 2 && conv.Input[2].Length > 0;
            var bias = hasBias ? TensorProtoFloats.Read(initializers[conv.Input[2]]) : new float[correction.Length];
            if (bias.Length != correction.Length)
                throw new ArgumentException($"convolution '{conv.Output[0]}' has {bias.Length} channels, the correction {correction.Length}");
            for (var c = 0; c < bias.Length; c++) bias[c] += correction[c];
            var name = conv.Output[0] + "_corrected_bias";
            graph.Initializer.Add(TensorProtoFloats.Create(name, bias, bias.Length));
            if (hasBias) conv.Input[2] = name;
            else conv.Input.Add(name);
        }
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(i => !read.Contains(i.Name)).ToList())
            graph.Initializer.Remove(unused);
        return model;
    }

    /// <summary>Each named tensor's channel means over the inputs.</summary>
    private static Dictionary<string, double[]> Means(ModelProto graph, IEnumerable<(string Tensor, int Channels)> tensors,
        IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize, ModelRuntimeOptions runtime, Action<int> progress,
        CancellationToken cancellationToken)
    {
        var means = tensors.DistinctBy(t => t.Tensor).ToDictionary(t => t.Tensor, t => new ChannelMeans(t.Channels), StringComparer.Ordinal);
        var observed = ActivationRangeCollector.WithOutputs(graph, means.Keys);
        using var session = OrtSessionFactory.Create(new OnnxGraph(observed.ToByteArray()), runtime, "the bias-correction graph");
        ActivationRangeCollector.Run(session, observed.Graph.Input[0].Name, [.. means.Keys], inputs, itemShape, batchSize,
            (tensor, values, items) => means[tensor].Add(values, items), progress, cancellationToken);
        return means.ToDictionary(m => m.Key, m => m.Value.Means(), StringComparer.Ordinal);
    }
}
