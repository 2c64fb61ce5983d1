using CxrQa.Core.Errors;
using Google.Protobuf;
using Onnx;

namespace CxrQa.Core.Model;

/// <summary>
/// Assembles our graphs from the CNTK-exported ResNet18 featurizer by editing its ModelProto:
/// <list type="bullet">
/// <item>input <c>image</c> float [N,3,224,224] followed by <c>Sub(image, mean image [1,3,224,224])</c> wired into the
/// first convolution, so the caller feeds raw 0..255 planes and the preprocessing cannot drift from the backbone;</item>
/// <item>the symbolic batch dimension N on the input, the outputs and every value_info (the export fixes batch 1,
/// which ONNX Runtime rejects for batch 8);</item>
/// <item>outputs <c>feature_map</c> [N,512,7,7] (the global AveragePool's input, renamed), <c>embedding</c> [N,512]
/// (Flatten of the pooled tensor) and, for serving, <c>logit</c> [N,1] = Gemm(embedding, W[1,512], b[1]).</item>
/// </list>
/// The opset stays 8 (Flatten exists since 1, Gemm with broadcasting since 7), so nothing in the backbone changes meaning.
/// </summary>
public sealed class ServingGraphBuilder
{
    private const string MeanImageName = "cxrqa_backbone_mean_image_bgr";
    private const string CenteredImageName = "cxrqa_image_minus_mean";
    private const string HeadWeightsName = "cxrqa_head_weights";
    private const string HeadBiasName = "cxrqa_head_bias";

    private readonly byte[] _backboneOnnx;
    private readonly BackboneMeanImage _meanImage;

    /// <param name="backboneOnnx">The bytes of ResNet18.onnx.</param>
    /// <param name="meanImage">The mean image from ResNetPreprocess.onnx.</param>
    public ServingGraphBuilder(byte[] backboneOnnx, BackboneMeanImage meanImage)
    {
        _backboneOnnx = backboneOnnx;
        _meanImage = meanImage;
    }

    public static ServingGraphBuilder FromFiles(BackboneFiles files) =>
        new(File.ReadAllBytes(files.ModelPath), BackboneMeanImage.Load(files.PreprocessPath));

    /// <summary>The backbone alone: outputs <c>embedding</c> and <c>feature_map</c> (for extracting head-training features).</summary>
    public OnnxGraph BuildFeatureGraph()
    {
        var (model, pooled) = BuildBackbone("cxrqa_features");
        model.Graph.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.Embedding, ServingGraphContract.EmbeddingItemShape));
        model.Graph.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.FeatureMap, ServingGraphContract.FeatureMapItemShape));
        AddFlatten(model.Graph, pooled);
        return new OnnxGraph(model.ToByteArray());
    }

    /// <summary>The serving graph: outputs <c>logit</c>, <c>embedding</c> and <c>feature_map</c>.</summary>
    /// <param name="headWeights">512 weights of the linear head.</param>
    /// <param name="headBias">Its bias.</param>
    public OnnxGraph BuildServingGraph(ReadOnlySpan<float> headWeights, float headBias)
    {
        if (headWeights.Length != ModelOutputs.EmbeddingSize)
            throw new ArgumentException($"the head needs {ModelOutputs.EmbeddingSize} weights, got {headWeights.Length}", nameof(headWeights));

        var (model, pooled) = BuildBackbone("cxrqa_serving");
        var graph = model.Graph;
        graph.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.Logit, ServingGraphContract.LogitItemShape));
        graph.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.Embedding, ServingGraphContract.EmbeddingItemShape));
        graph.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.FeatureMap, ServingGraphContract.FeatureMapItemShape));
        AddFlatten(graph, pooled);

        graph.Initializer.Add(TensorProtoFloats.Create(HeadWeightsName, headWeights, 1, ModelOutputs.EmbeddingSize));
        graph.Initializer.Add(TensorProtoFloats.Create(HeadBiasName, [headBias], 1));
        // Gemm(A=embedding [N,512], B=W [1,512], transB) + C (b [1], broadcast to [N,1]).
        graph.Node.Add(new NodeProto
        {
            OpType = "Gemm",
            Name = "cxrqa_linear_head",
            Input = { ServingGraphContract.Embedding, HeadWeightsName, HeadBiasName },
            Output = { ServingGraphContract.Logit },
            Attribute = { new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
        });
        return new OnnxGraph(model.ToByteArray());
    }

    /// <summary>Parses a fresh copy of the backbone and applies the edits common to both graphs. Returns the model with
    /// its outputs cleared, and the name of the pooled [N,512,1,1] tensor.</summary>
    private (ModelProto Model, string Pooled) BuildBackbone(string graphName)
    {
        var model = ModelProto.Parser.ParseFrom(_backboneOnnx);
        var graph = model.Graph ?? throw Unexpected("it has no graph");
        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet();
        RejectBatchFixingNodes(graph);

        // The one real input (IR 3 would allow initializers to be listed as inputs too; this export lists none).
        var inputs = graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
            throw Unexpected($"expected one input, found {inputs.Count}");
        var originalInput = inputs[0].Name;

        // The single output must be the global average pool over the last block's 7x7 activations.
        if (graph.Output.Count != 1)
            throw Unexpected($"expected one output, found {graph.Output.Count}");
        var pooled = graph.Output[0].Name;
        var pool = graph.Node.SingleOrDefault(n => n.Output.Contains(pooled));
        if (pool is null || pool.OpType != "AveragePool" ||
            !pool.Attribute.Any(a => a.Name == "kernel_shape" && a.Ints.SequenceEqual([7L, 7L])))
            throw Unexpected($"output '{pooled}' is not made by a 7x7 AveragePool");
        var lastBlock = pool.Input[0];

        graph.Input.Remove(inputs[0]);
        graph.Input.Insert(0, ValueInfos.FloatTensor(ServingGraphContract.Input, ServingGraphContract.InputItemShape));
        graph.Output.Clear();

        RenameTensor(graph, originalInput, CenteredImageName);
        RenameTensor(graph, lastBlock, ServingGraphContract.FeatureMap);

        graph.Initializer.Add(TensorProtoFloats.Create(MeanImageName, _meanImage.Values,
            1, BackboneMeanImage.Channels, BackboneMeanImage.Side, BackboneMeanImage.Side));
        // Nodes must stay topologically sorted: the subtraction goes first.
        graph.Node.Insert(0, new NodeProto
        {
            OpType = "Sub",
            Name = "cxrqa_subtract_mean_image",
            Input = { ServingGraphContract.Input, MeanImageName },
            Output = { CenteredImageName },
        });

        MakeValueInfoBatchSymbolic(graph);
        graph.Name = graphName;
        model.ProducerName = "CxrQa";
        model.ProducerVersion = "1";
        model.DocString = "CxrQa graph assembled from " + BackboneFiles.Identifier +
                          ": input 'image' = gray 0..255 x3 (BGR plane order), the backbone mean image is subtracted inside.";
        return (model, pooled);
    }

    private static void AddFlatten(GraphProto graph, string pooled) =>
        graph.Node.Add(new NodeProto
        {
            OpType = "Flatten",
            Name = "cxrqa_flatten_embedding",
            Input = { pooled },
            Output = { ServingGraphContract.Embedding },
            Attribute = { new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
        });

    /// <summary>Reshape-like nodes could carry a batch size of 1 in a constant shape; the CNTK export has none, and
    /// we refuse to guess how to rewrite one if a different backbone file ever brings it.</summary>
    private static void RejectBatchFixingNodes(GraphProto graph)
    {
        var fixing = graph.Node.Where(n => n.OpType is "Reshape" or "Flatten" or "Expand" or "Tile" or "ConstantOfShape").ToList();
        if (fixing.Count > 0)
            throw Unexpected($"it has {string.Join(", ", fixing.Select(n => $"{n.OpType} '{n.Name}'"))}, which may fix the batch size");
    }

    private static void RenameTensor(GraphProto graph, string from, string to)
    {
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++) if (node.Input[i] == from) node.Input[i] = to;
            for (var i = 0; i < node.Output.Count; i++) if (node.Output[i] == from) node.Output[i] = to;
        }
        foreach (var info in graph.ValueInfo.Where(v => v.Name == from)) info.Name = to;
    }

    /// <summary>The export annotates every intermediate tensor with batch 1. Stale annotations make ORT's shape
    /// inference disagree with batched runs, so batch 1 becomes N; anything else is dropped for ORT to infer.</summary>
    private static void MakeValueInfoBatchSymbolic(GraphProto graph)
    {
        // value_info must not repeat the graph's inputs and outputs (they carry their own shapes).
        string[] declaredElsewhere = [ServingGraphContract.Input, ServingGraphContract.Logit,
            ServingGraphContract.Embedding, ServingGraphContract.FeatureMap];
        var kept = new List<ValueInfoProto>();
        foreach (var info in graph.ValueInfo)
        {
            var dims = info.Type?.TensorType?.Shape?.Dim;
            if (declaredElsewhere.Contains(info.Name) || dims is null || dims.Count == 0 || dims[0].DimValue != 1)
                continue;
            dims[0] = new TensorShapeProto.Types.Dimension { DimParam = ServingGraphContract.BatchDimension };
            kept.Add(info);
        }
        graph.ValueInfo.Clear();
        graph.ValueInfo.AddRange(kept);
    }

    private static CxrQaException Unexpected(string why) =>
        new(ErrorCodes.ModelInvalid, $"The backbone graph is not the expected ResNet18 featurizer: {why}.");
}
