using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>
/// Observes activation tensors of an fp32 graph on calibration inputs: the tensors become extra graph outputs, one
/// pass over the inputs finds each tensor's minimum and maximum, a second fills a histogram over that range.
/// </summary>
public static class ActivationRangeCollector
{
    public static IReadOnlyDictionary<string, ActivationHistogram> Collect(ModelProto graph, IReadOnlyList<string> tensors,
        IReadOnlyList<float[]> inputs, IReadOnlyList<int> itemShape, int batchSize, ModelRuntimeOptions runtime,
        IProgress<(int Pass, int Done)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("calibration needs at least one input", nameof(inputs));
        var observed = WithOutputs(graph, tensors);
        var inputName = observed.Graph.Input[0].Name;
        using var session = OrtSessionFactory.Create(new OnnxGraph(observed.ToByteArray()), runtime, "the calibration graph");

        var min = tensors.ToDictionary(t => t, _ => float.PositiveInfinity, StringComparer.Ordinal);
        var max = tensors.ToDictionary(t => t, _ => float.NegativeInfinity, StringComparer.Ordinal);
        Run(session, inputName, tensors, inputs, itemShape, batchSize, (tensor, values, _) =>
        {
            var (lo, hi) = (min[tensor], max[tensor]);
            foreach (var v in values)
            {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            (min[tensor], max[tensor]) = (lo, hi);
        }, done => progress?.Report((1, done)), cancellationToken);

        var histograms = tensors.ToDictionary(t => t, t => new ActivationHistogram(Math.Min(0f, min[t]), Math.Max(0f, max[t])), StringComparer.Ordinal);
        Run(session, inputName, tensors, inputs, itemShape, batchSize, (tensor, values, _) => histograms[tensor].Add(values),
            done => progress?.Report((2, done)), cancellationToken);
        return histograms;
    }

    /// <summary>A copy of the graph that also outputs the named float tensors.</summary>
    internal static ModelProto WithOutputs(ModelProto graph, IEnumerable<string> tensors)
    {
        var observed = graph.Clone();
        var outputs = observed.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in tensors.Where(outputs.Add))
            observed.Graph.Output.Add(new ValueInfoProto
            {
                Name = tensor,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        return observed;
    }

    /// <summary>Runs the inputs in batches and hands each named output of each batch (and its item count) to <paramref name="observe"/>.</summary>
    internal static void Run(InferenceSession session, string inputName, IReadOnlyList<string> tensors, IReadOnlyList<float[]> inputs,
        IReadOnlyList<int> itemShape, int batchSize, Observer observe, Action<int> progress, CancellationToken cancellationToken)
    {
        var itemLength = itemShape.Aggregate(1, (a, d) => a * d);
        var buffer = new float[batchSize * itemLength];
        var names = tensors.ToArray();
        using var runOptions = new RunOptions();
        for (var start = 0; start < inputs.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(batchSize, inputs.Count - start);
            for (var k = 0; k < n; k++)
            {
                if (inputs[start + k].Length != itemLength)
                    throw new ArgumentException($"calibration input {start + k} holds {inputs[start + k].Length} floats, not {itemLength}");
                inputs[start + k].CopyTo(buffer, k * itemLength);
            }
            long[] shape = [n, .. itemShape.Select(d => (long)d)];
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(buffer, 0, n * itemLength), shape);
            using var results = session.Run(runOptions, [inputName], [input], names);
            for (var t = 0; t < names.Length; t++)
                observe(names[t], results[t].GetTensorDataAsSpan<float>(), n);
            progress(start + n);
        }
    }

    internal delegate void Observer(string tensor, ReadOnlySpan<float> values, int items);
}
