using CxrQa.Core.Model;
using Google.Protobuf;
using Onnx;

namespace CxrQa.Tests.Model.Quantization;

/// <summary>
/// A small graph shaped like our serving graph (opset 8, IR 3, as the CNTK export): image minus a mean image, a
/// stem convolution with fp16-stored weights (Cast), batch norms not folded, a max pool, one residual block and a last
/// block whose ReLU output is the <c>feature_map</c> output and, pooled, the <c>embedding</c> and a Gemm head.
/// </summary>
public static class SyntheticResNetGraph
{
    public const int Side = 16;
    public const int Channels = 8;
    public static readonly int[] ItemShape = [3, Side, Side];
    public const int ConvolutionCount = 5;

    public static OnnxGraph Build(int seed = 1)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "synthetic_resnet" };
        graph.Input.Add(Value(ServingGraphContract.Input, 3, Side, Side));
        graph.Initializer.Add(TensorProtoFloats.Create("mean", Enumerable.Range(0, 3 * Side * Side).Select(i => 100f + i % 37).ToArray(), 1, 3, Side, Side));
        graph.Node.Add(Node("Sub", [ServingGraphContract.Input, "mean"], "centered"));

        // Stem: weights stored as float16 behind a Cast, as the fp16 bundle writer does.
        var stem = Weights(random, Channels, 3, 3, 0.05f);
        var halves = new byte[stem.Length * 2];
        for (var i = 0; i < stem.Length; i++) BitConverter.TryWriteBytes(halves.AsSpan(2 * i), BitConverter.HalfToUInt16Bits((Half)stem[i]));
        var stemTensor = new TensorProto { Name = "w0_fp16", DataType = (int)TensorProto.Types.DataType.Float16, RawData = ByteString.CopyFrom(halves) };
        stemTensor.Dims.AddRange([Channels, 3, 3, 3]);
        graph.Initializer.Add(stemTensor);
        graph.Node.Insert(0, Node("Cast", ["w0_fp16"], "w0", ("to", (long)TensorProto.Types.DataType.Float)));
        ConvBn(graph, random, "c0", "centered", "w0", null, "bn0");
        graph.Node.Add(Node("Relu", ["bn0"], "r0"));
        var pool = Node("MaxPool", ["r0"], "p0");
        pool.Attribute.Add(Ints("kernel_shape", 2, 2));
        pool.Attribute.Add(Ints("strides", 2, 2));
        graph.Node.Add(pool);

        ConvBn(graph, random, "c1", "p0", null, 3, "bn1");
        graph.Node.Add(Node("Relu", ["bn1"], "r1"));
        ConvBn(graph, random, "c2", "r1", null, 3, "bn2");
        graph.Node.Add(Node("Add", ["bn2", "p0"], "a2"));
        graph.Node.Add(Node("Relu", ["a2"], "r2"));

        ConvBn(graph, random, "c3", "r2", null, 3, "bn3");
        graph.Node.Add(Node("Relu", ["bn3"], "r3"));
        ConvBn(graph, random, "c4", "r3", null, 3, "bn4");
        graph.Node.Add(Node("Add", ["bn4", "r2"], "a4"));
        graph.Node.Add(Node("Relu", ["a4"], "r4"));

        graph.Node.Add(Node("Identity", ["r4"], ServingGraphContract.FeatureMap));
        var average = Node("AveragePool", ["r4"], "pooled");
        average.Attribute.Add(Ints("kernel_shape", Side / 2, Side / 2));
        graph.Node.Add(average);
        graph.Node.Add(Node("Flatten", ["pooled"], ServingGraphContract.Embedding, ("axis", 1L)));
        graph.Initializer.Add(TensorProtoFloats.Create("head_w", Weights(random, 1, Channels, 1, 1f), 1, Channels));
        graph.Initializer.Add(TensorProtoFloats.Create("head_b", [0.1f], 1));
        graph.Node.Add(Node("Gemm", [ServingGraphContract.Embedding, "head_w", "head_b"], ServingGraphContract.Logit, ("transB", 1L)));

        graph.Output.Add(Value(ServingGraphContract.Logit, 1));
        graph.Output.Add(Value(ServingGraphContract.FeatureMap, Channels, Side / 2, Side / 2));
        graph.Output.Add(Value(ServingGraphContract.Embedding, Channels));
        var model = new ModelProto { IrVersion = 3, ProducerName = "test", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 8 });
        return new OnnxGraph(model.ToByteArray());
    }

    /// <summary>Smooth random images 0..255, one per seed.</summary>
    public static float[] Image(int seed)
    {
        var random = new Random(seed);
        var (fx, fy, phase) = (random.NextDouble() * 0.8, random.NextDouble() * 0.8, random.NextDouble() * 6);
        var image = new float[3 * Side * Side];
        for (var c = 0; c < 3; c++)
        for (var y = 0; y < Side; y++)
        for (var x = 0; x < Side; x++)
            image[(c * Side + y) * Side + x] = (float)Math.Clamp(128 + 90 * Math.Sin(fx * x + phase) * Math.Cos(fy * y) + 20 * (random.NextDouble() - 0.5), 0, 255);
        return image;
    }

    private static void ConvBn(GraphProto graph, Random random, string name, string input, string? weightName, int? kernel, string output)
    {
        if (weightName is null)
        {
            weightName = name + "_w";
            graph.Initializer.Add(TensorProtoFloats.Create(weightName, Weights(random, Channels, Channels, kernel!.Value, 0.15f), Channels, Channels, kernel.Value, kernel.Value));
        }
        var conv = Node("Conv", [input, weightName], name + "_out");
        conv.Name = name;
        conv.Attribute.Add(Ints("kernel_shape", 3, 3));
        conv.Attribute.Add(Ints("pads", 1, 1, 1, 1));
        graph.Node.Add(conv);
        float[] Vector(float lo, float hi) => Enumerable.Range(0, Channels).Select(_ => (float)(lo + random.NextDouble() * (hi - lo))).ToArray();
        graph.Initializer.Add(TensorProtoFloats.Create(name + "_gamma", Vector(0.5f, 1.5f), Channels));
        graph.Initializer.Add(TensorProtoFloats.Create(name + "_beta", Vector(-0.3f, 0.3f), Channels));
        graph.Initializer.Add(TensorProtoFloats.Create(name + "_mean", Vector(-0.5f, 0.5f), Channels));
        graph.Initializer.Add(TensorProtoFloats.Create(name + "_var", Vector(0.5f, 2f), Channels));
        var bn = Node("BatchNormalization", [name + "_out", name + "_gamma", name + "_beta", name + "_mean", name + "_var"], output, ("spatial", 1L));
        bn.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = 1e-5f });
        graph.Node.Add(bn);
    }

    private static float[] Weights(Random random, int outChannels, int inChannels, int kernel, float scale) =>
        Enumerable.Range(0, outChannels * inChannels * kernel * kernel).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    private static NodeProto Node(string op, string[] inputs, string output, params (string Name, long Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() + "_" + output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (name, value) in attributes)
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto Value(string name, params long[] itemShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (var d in itemShape) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
