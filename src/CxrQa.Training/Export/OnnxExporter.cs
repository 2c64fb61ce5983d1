using CxrQa.Core.Model;
using CxrQa.Training.Backbone;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace CxrQa.Training.Export;

/// <summary>
/// Writes a (fine-tuned) <see cref="CxrResNet"/> as the complete serving graph. Rather than re-deriving the graph, it
/// takes the original CNTK ResNet18.onnx as a template, so the backbone nodes stay exactly those validated in
/// production, and:
/// <list type="bullet">
/// <item>replaces every initializer's values with the module's weights and batch-norm statistics (same names, via
/// <see cref="CxrResNet.OnnxNames"/>);</item>
/// <item>puts <c>image</c> [N,3,S,S] (symbolic batch) in front, minus the mean image (a Sub on an initializer);</item>
/// <item>adds the outputs <c>logit</c> [N,1] (Flatten + Gemm of the head), <c>feature_map</c> [N,512,7,7] and
/// <c>embedding</c> [N,512], and drops the template's stale batch-1 shape annotations.</item>
/// </list>
/// </summary>
public static class OnnxExporter
{
    public const string ProducerName = "CxrQa.Training";

    /// <summary>Exports using the backbone copied beside the app as the template.</summary>
    public static void Export(CxrResNet model, string path) => Export(model, path, BackboneFiles.Locate().ModelPath);

    public static void Export(CxrResNet model, string path, string templatePath)
    {
        var graphModel = OnnxModelFile.Read(templatePath);
        var spec = BackboneGraphReader.Read(graphModel);
        RequireSameStructure(model, spec, templatePath);

        var graph = graphModel.Graph;
        var weights = ModuleTensors.ByName(model);
        foreach (var initializer in graph.Initializer)
            TensorProtoFloats.Write(initializer, Values(weights[model.OnnxNames[initializer.Name]]));

        var size = model.ImageSize;
        var mapSize = size / OverallStride(spec);
        var channels = spec.FeatureChannels;
        graph.Initializer.Add(TensorProtoFloats.Create(ServingGraphNames.MeanImage, Values(weights[CxrResNet.MeanImageName]), 1, 3, size, size));
        graph.Initializer.Add(TensorProtoFloats.Create(ServingGraphNames.HeadWeight, Values(model.Head.weight!), 1, channels));
        graph.Initializer.Add(TensorProtoFloats.Create(ServingGraphNames.HeadBias, Values(model.Head.bias!), 1));

        graph.Input.Clear();
        graph.Input.Add(FloatValue(ServingGraphNames.Input, 3, size, size));
        graph.Node.Insert(0, Node("Sub", "serving_subtract_mean_image", [ServingGraphNames.Input, ServingGraphNames.MeanImage], spec.InputName));
        graph.Node.Add(Node("Identity", "serving_feature_map", [spec.FeatureMapName], ServingGraphNames.FeatureMap));
        var flatten = Node("Flatten", "serving_embedding", [spec.PooledName], ServingGraphNames.Embedding);
        flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(flatten);
        var gemm = Node("Gemm", "serving_head", [ServingGraphNames.Embedding, ServingGraphNames.HeadWeight, ServingGraphNames.HeadBias], ServingGraphNames.Logit);
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gemm);

        graph.Output.Clear();
        graph.Output.Add(FloatValue(ServingGraphNames.Logit, 1));
        graph.Output.Add(FloatValue(ServingGraphNames.FeatureMap, channels, mapSize, mapSize));
        graph.Output.Add(FloatValue(ServingGraphNames.Embedding, channels));
        graph.ValueInfo.Clear(); // the template's intermediate shapes say batch 1

        graphModel.ProducerName = ProducerName;
        graphModel.ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "";
        graph.Name = "cxrqa_resnet18";
        WriteAtomically(graphModel, path);
    }

    private static void RequireSameStructure(CxrResNet model, BackboneSpec template, string templatePath)
    {
        var names = BackboneNameMap.Create(template);
        var same = names.Count == model.OnnxNames.Count
            && names.All(kv => model.OnnxNames.TryGetValue(kv.Key, out var v) && v == kv.Value)
            && template.InputName == model.Spec.InputName
            && template.FeatureMapName == model.Spec.FeatureMapName
            && template.PooledName == model.Spec.PooledName;
        if (!same)
            throw new InvalidOperationException($"the model was not built from the graph at '{templatePath}'; export needs that same graph as its template");
    }

    /// <summary>How much the backbone shrinks the image: stem conv, max pool and each stage's first block.</summary>
    private static long OverallStride(BackboneSpec spec) =>
        spec.StemConv.Stride * spec.StemPool.Stride * spec.Stages.Aggregate(1L, (s, stage) => s * stage[0].Conv1.Stride);

    private static float[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    /// <summary>A float tensor value with a symbolic batch dimension followed by <paramref name="dims"/>.</summary>
    private static ValueInfoProto FloatValue(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = ServingGraphNames.BatchDimension });
        foreach (var d in dims)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static void WriteAtomically(ModelProto model, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
                model.WriteTo(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
