using Onnx;

namespace CxrQa.Training.Backbone;

/// <summary>
/// Reads the structure of the CNTK ResNet18 export from its nodes rather than assuming it: stem
/// (Conv, BatchNormalization, Relu, MaxPool), then residual blocks found by following the data flow (a block whose
/// input feeds two convolutions has a downsampling shortcut and starts a new stage), then the global AveragePool.
/// Every node must be accounted for, so an unexpected graph fails here instead of loading silently wrong.
/// </summary>
public sealed class BackboneGraphReader
{
    private readonly GraphProto _graph;
    private readonly Dictionary<string, List<NodeProto>> _consumers = new();
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly HashSet<NodeProto> _visited = new(ReferenceEqualityComparer.Instance);

    private BackboneGraphReader(GraphProto graph)
    {
        _graph = graph;
        _initializers = graph.Initializer.ToDictionary(t => t.Name);
        foreach (var node in graph.Node)
            foreach (var input in node.Input)
            {
                if (!_consumers.TryGetValue(input, out var list))
                    _consumers[input] = list = [];
                list.Add(node);
            }
    }

    public static BackboneSpec Read(ModelProto model) => new BackboneGraphReader(model.Graph).Read();

    private BackboneSpec Read()
    {
        var input = _graph.Input.Single(i => !_initializers.ContainsKey(i.Name)).Name;

        var stemConvNode = SoleConsumer(input, "Conv");
        var stemBnNode = SoleConsumer(stemConvNode.Output[0], "BatchNormalization");
        var stemRelu = SoleConsumer(stemBnNode.Output[0], "Relu");
        var poolNode = SoleConsumer(stemRelu.Output[0], "MaxPool");
        var stemPool = new MaxPoolSpec(SquareInts(poolNode, "kernel_shape"), SquareInts(poolNode, "strides"), Pads(poolNode));

        var stages = new List<List<BlockSpec>>();
        var x = poolNode.Output[0];
        NodeProto? averagePool = null;
        while (averagePool is null)
        {
            var convs = Consumers(x).Where(n => n.OpType == "Conv").ToList();
            if (convs.Count == 0)
            {
                averagePool = SoleConsumer(x, "AveragePool");
                break;
            }
            var (block, output) = ReadBlock(x, convs);
            if (block.DownsampleConv is not null || stages.Count == 0)
                stages.Add([]);
            stages[^1].Add(block);
            x = output;
        }

        if (averagePool.Output[0] != _graph.Output.Single().Name)
            throw Unexpected($"the global pool '{averagePool.Name}' does not produce the graph output");
        if (IntAttribute(averagePool, "count_include_pad", 0) != 0 || Pads(averagePool) != default)
            throw Unexpected("the global pool is padded");
        var poolKernel = SquareInts(averagePool, "kernel_shape");
        _visited.Add(averagePool);
        if (_visited.Count != _graph.Node.Count)
            throw Unexpected($"{_graph.Node.Count - _visited.Count} nodes are not part of the recognised ResNet structure: " +
                string.Join(", ", _graph.Node.Where(n => !_visited.Contains(n)).Select(n => $"{n.OpType} {n.Name}")));

        return new BackboneSpec(input, Conv(stemConvNode), BatchNorm(stemBnNode), stemPool,
            stages.Select(s => (IReadOnlyList<BlockSpec>)s).ToList(), x, averagePool.Output[0], poolKernel);
    }

    private (BlockSpec Block, string Output) ReadBlock(string x, List<NodeProto> convs)
    {
        // Main path: Conv -> BN -> Relu -> Conv -> BN -> Add. Shortcut: the block input itself, or Conv -> BN -> Add.
        NodeProto? mainConv = null, shortcutConv = null;
        foreach (var conv in convs)
        {
            _visited.Add(conv);
            var afterBn = Consumers(SoleConsumer(conv.Output[0], "BatchNormalization").Output[0]);
            if (afterBn is [{ OpType: "Relu" }]) mainConv = conv;
            else if (afterBn is [{ OpType: "Add" }]) shortcutConv = conv;
            else throw Unexpected($"cannot tell the role of '{conv.Name}' in the block at '{x}'");
        }
        if (mainConv is null || convs.Count != (shortcutConv is null ? 1 : 2))
            throw Unexpected($"block at '{x}' has {convs.Count} convolutions reading its input");

        var bn1 = SoleConsumer(mainConv.Output[0], "BatchNormalization");
        var relu1 = SoleConsumer(bn1.Output[0], "Relu");
        var conv2 = SoleConsumer(relu1.Output[0], "Conv");
        var bn2 = SoleConsumer(conv2.Output[0], "BatchNormalization");
        var add = SoleConsumer(bn2.Output[0], "Add");
        NodeProto? shortcutBn = null;
        string shortcut = x;
        if (shortcutConv is not null)
        {
            shortcutBn = SoleConsumer(shortcutConv.Output[0], "BatchNormalization");
            shortcut = shortcutBn.Output[0];
        }
        var addInputs = add.Input.ToHashSet();
        if (!addInputs.SetEquals([bn2.Output[0], shortcut]))
            throw Unexpected($"'{add.Name}' does not add the main path to the shortcut");
        var relu2 = SoleConsumer(add.Output[0], "Relu");

        var block = new BlockSpec(Conv(mainConv), BatchNorm(bn1), Conv(conv2), BatchNorm(bn2),
            shortcutConv is null ? null : Conv(shortcutConv), shortcutBn is null ? null : BatchNorm(shortcutBn));
        return (block, relu2.Output[0]);
    }

    private ConvSpec Conv(NodeProto node)
    {
        if (node.Input.Count != 2)
            throw Unexpected($"'{node.Name}' has a bias; the backbone's convolutions have none");
        if (IntAttribute(node, "group", 1) != 1 || Ints(node, "dilations") is { Count: > 0 } d && d.Any(v => v != 1))
            throw Unexpected($"'{node.Name}' is grouped or dilated");
        var weight = Initializer(node.Input[1]);
        if (weight.Dims.Count != 4 || weight.Dims[2] != weight.Dims[3])
            throw Unexpected($"'{node.Name}' weight is not a square 2-D kernel");
        return new ConvSpec(weight.Name, weight.Dims[0], weight.Dims[1], weight.Dims[2], SquareInts(node, "strides"), Pads(node));
    }

    private BatchNormSpec BatchNorm(NodeProto node)
    {
        if (node.Input.Count != 5)
            throw Unexpected($"'{node.Name}' is not an inference BatchNormalization (5 inputs)");
        if (IntAttribute(node, "spatial", 1) != 1)
            throw Unexpected($"'{node.Name}' is not spatial (per-channel) batch normalisation");
        var scale = Initializer(node.Input[1]);
        foreach (var name in node.Input.Skip(2))
            if (Initializer(name).Dims.SingleOrDefault() != scale.Dims.Single())
                throw Unexpected($"'{node.Name}' parameters differ in size");
        return new BatchNormSpec(node.Input[1], node.Input[2], node.Input[3], node.Input[4], scale.Dims[0],
            FloatAttribute(node, "epsilon", 1e-5f), FloatAttribute(node, "momentum", 0.9f));
    }

    private IReadOnlyList<NodeProto> Consumers(string tensor) =>
        _consumers.TryGetValue(tensor, out var list) ? list : [];

    private NodeProto SoleConsumer(string tensor, string opType)
    {
        var matching = Consumers(tensor).Where(n => n.OpType == opType).ToList();
        if (matching.Count != 1)
            throw Unexpected($"expected one {opType} reading '{tensor}', found {matching.Count}");
        _visited.Add(matching[0]);
        return matching[0];
    }

    private TensorProto Initializer(string name) =>
        _initializers.TryGetValue(name, out var t) ? t : throw Unexpected($"'{name}' is not an initializer");

    private static IList<long> Ints(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints ?? (IList<long>)[];

    private static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;

    private static double FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.F ?? fallback;

    private static long SquareInts(NodeProto node, string name)
    {
        var values = Ints(node, name);
        if (values.Count != 2 || values[0] != values[1])
            throw Unexpected($"'{node.Name}' {name} is not square: ({string.Join(",", values)})");
        return values[0];
    }

    private static SpatialPads Pads(NodeProto node)
    {
        if (node.Attribute.FirstOrDefault(a => a.Name == "auto_pad") is { } autoPad && autoPad.S.Length > 0 && autoPad.S.ToStringUtf8() != "NOTSET")
            throw Unexpected($"'{node.Name}' uses auto_pad {autoPad.S.ToStringUtf8()}");
        return SpatialPads.FromOnnx(Ints(node, "pads").ToList());
    }

    private static InvalidDataException Unexpected(string what) =>
        new($"The backbone graph is not the expected CNTK ResNet: {what}.");
}
