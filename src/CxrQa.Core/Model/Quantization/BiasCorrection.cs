using Google.Protobuf;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// Empirical bias correction (Nagel et al. 2019, "Data-free quantization through weight equalization and bias
/// correction", section 4.2, with the expectations measured on calibration films instead of derived from batch-norm
/// statistics): rounding a convolution's weights and inputs shifts the mean of each output channel, and every later
/// layer inherits the shift. Per output channel, the bias of each int8 convolution is moved by the mean difference
/// between its output in the fp32 graph and in the int8 graph, over the calibration inputs. A correction changes what
/// the later layers see, so the differences are measured again with the corrected graph for a few rounds, each adding
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
        var outputs = new ConvolutionOutputs(quantizer);
        var reference = outputs.Fp32Means(inputs, itemShape, batchSize, runtime, done => progress?.Report((0, done)), cancellationToken);
        var corrections = outputs.Channels.ToDictionary(c => c.Key, c => new float[c.Value], StringComparer.Ordinal);
        for (var round = 1; round <= rounds; round++)
        {
            var r = round;
            var observed = outputs.Int8Means(method, corrections, inputs, itemShape, batchSize, runtime, done => progress?.Report((r, done)), cancellationToken);
            foreach (var (conv, correction) in corrections)
                for (var c = 0; c < correction.Length; c++)
                    correction[c] -= (float)(observed[conv][c] - reference[conv][c]);
        }
        return corrections;
    }

    /// <summary>Per quantized convolution and output channel, the mean of its int8 output minus its fp32 output over the
    /// inputs (what <see cref="Fit"/> drives towards zero).</summary>
    public static IReadOnlyDictionary<string, double[]> MeanShifts(Int8Quantizer quantizer, ActivationRangeMethod method,
        IReadOnlyDictionary<string, float[]>? corrections, IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize,
        ModelRuntimeOptions runtime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        var outputs = new ConvolutionOutputs(quantizer);
        var reference = outputs.Fp32Means(inputs, itemShape, batchSize, runtime, _ => { }, cancellationToken);
        var observed = outputs.Int8Means(method, corrections, inputs, itemShape, batchSize, runtime, _ => { }, cancellationToken);
        return reference.ToDictionary(r => r.Key, r => observed[r.Key].Zip(r.Value, (q, f) => q - f).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The quantized convolutions' outputs: their channels, and their names in the fp32 and in the QDQ graph.</summary>
    private sealed class ConvolutionOutputs
    {
        private readonly Int8Quantizer quantizer;
        private readonly Dictionary<string, string> written;

        public ConvolutionOutputs(Int8Quantizer quantizer)
        {
            this.quantizer = quantizer;
            var graph = quantizer.Prepared.Graph;
            var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
            var convolutions = graph.Node.Where(n => n.OpType == "Conv" && quantizer.Plan.QuantizedConvolutions.Contains(n.Output[0])).ToList();
            Channels = convolutions.ToDictionary(c => c.Output[0], c => (int)initializers[c.Input[1]].Dims[0], StringComparer.Ordinal);
            // In the QDQ graph a convolution followed by a fused ReLU writes, before quantization, under the ReLU's name.
            written = convolutions.ToDictionary(c => c.Output[0], c => graph.Node.FirstOrDefault(r => r.OpType == "Relu" && r.Input[0] == c.Output[0]
                && quantizer.Plan.FusedRelus.Contains(r.Output[0]))?.Output[0] ?? c.Output[0], StringComparer.Ordinal);
        }

        public Dictionary<string, int> Channels { get; }

        public Dictionary<string, double[]> Fp32Means(IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize,
            ModelRuntimeOptions runtime, Action<int> progress, CancellationToken cancellationToken) =>
            Means(quantizer.Prepared, Channels.ToDictionary(c => c.Key, c => (c.Key, c.Value), StringComparer.Ordinal),
                inputs, itemShape, batchSize, runtime, progress, cancellationToken);

        public Dictionary<string, double[]> Int8Means(ActivationRangeMethod method, IReadOnlyDictionary<string, float[]>? corrections,
            IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize, ModelRuntimeOptions runtime, Action<int> progress,
            CancellationToken cancellationToken)
        {
            var (int8, _) = quantizer.Write(method, corrections);
            return Means(ModelProto.Parser.ParseFrom(int8.Bytes), Channels.ToDictionary(c => c.Key, c => (written[c.Key], c.Value), StringComparer.Ordinal),
                inputs, itemShape, batchSize, runtime, progress, cancellationToken);
        }
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

    /// <summary>Each named tensor's channel means over the inputs (key: the tensor's name in <paramref name="graph"/> and its channels).</summary>
    private static Dictionary<string, double[]> Means(ModelProto graph, IReadOnlyDictionary<string, (string Tensor, int Channels)> tensors,
        IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize, ModelRuntimeOptions runtime, Action<int> progress,
        CancellationToken cancellationToken)
    {
        var observed = ActivationRangeCollector.WithOutputs(graph, tensors.Values.Select(t => t.Tensor));
        using var session = OrtSessionFactory.Create(new OnnxGraph(observed.ToByteArray()), runtime, "the bias-correction graph");
        var means = tensors.Values.DistinctBy(t => t.Tensor).ToDictionary(t => t.Tensor, t => new ChannelMeans(t.Channels), StringComparer.Ordinal);
        ActivationRangeCollector.Run(session, observed.Graph.Input[0].Name, [.. means.Keys], inputs, itemShape, batchSize,
            (tensor, values, items) => means[tensor].Add(values, items), progress, cancellationToken);
        return tensors.ToDictionary(t => t.Key, t => means[t.Value.Tensor].Means(), StringComparer.Ordinal);
    }
}
