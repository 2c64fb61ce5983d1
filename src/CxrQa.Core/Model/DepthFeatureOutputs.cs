using Onnx;

namespace CxrQa.Core.Model;

/// <summary>
/// Adds graph outputs <c>depth_1</c> [N,64], <c>depth_2</c> [N,128] and <c>depth_3</c> [N,256]: the global average
/// of the outputs of the backbone's stages 1-3 (layer1..layer3), next to <c>embedding</c> (stage 4).
/// <para>Why: the final embedding is trained to ignore what does not separate the two classes, so acquisition,
/// framing and age differences can leave it unmoved; the earlier stages still describe texture, exposure and scale,
/// and a density on them sees such films as unusual (Lee et al. 2018, "feature ensemble" of Mahalanobis scores).</para>
/// <para>A stage's output is found by structure, not by CNTK names: it is the input of the next stage's 1x1 stride-2
/// projection convolution. In an ensemble graph whose members share the early stages, the first three distinct such
/// inputs are stage 1, stage 2 (shared) and the first member's stage 3.</para>
/// </summary>
public static class DepthFeatureOutputs
{
    public static readonly IReadOnlyList<(string Name, int Channels)> Outputs = [("depth_1", 64), ("depth_2", 128), ("depth_3", 256)];

    /// <summary>Names what <see cref="TryAdd"/> does to a graph, for caches of the served graph
    /// (<see cref="OptimizedGraphCache"/>): change it whenever <see cref="TryAdd"/> or <see cref="Outputs"/> change.</summary>
    public const string Recipe = "depth-features-v1:depth_1,depth_2,depth_3";

    public static bool HasThem(GraphProto graph) => graph.Output.Any(o => o.Name == Outputs[0].Name);

    /// <summary>Adds the outputs in place; false (graph unchanged) when the graph has no three projection convolutions.</summary>
    public static bool TryAdd(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (HasThem(graph)) return true;
        var stageOutputs = graph.Node
            .Where(n => n.OpType == "Conv" && Ints(n, "kernel_shape").SequenceEqual([1L, 1L]) && Ints(n, "strides").SequenceEqual([2L, 2L]))
            .Select(n => n.Input[0])
            .Distinct()
            .Take(Outputs.Count)
            .ToList();
        if (stageOutputs.Count < Outputs.Count) return false;
        for (var i = 0; i < Outputs.Count; i++)
        {
            var (name, channels) = Outputs[i];
            var pooled = $"cxrqa_{name}_pooled";
            graph.Node.Add(new NodeProto { OpType = "GlobalAveragePool", Name = $"cxrqa_{name}_pool", Input = { stageOutputs[i] }, Output = { pooled } });
            graph.Node.Add(new NodeProto
            {
                OpType = "Flatten", Name = $"cxrqa_{name}_flatten", Input = { pooled }, Output = { name },
                Attribute = { new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
            });
            graph.Output.Add(ValueInfos.FloatTensor(name, [channels]));
        }
        return true;
    }

    private static IEnumerable<long> Ints(NodeProto node, string attribute) =>
        node.Attribute.FirstOrDefault(a => a.Name == attribute)?.Ints ?? Enumerable.Empty<long>();
}
