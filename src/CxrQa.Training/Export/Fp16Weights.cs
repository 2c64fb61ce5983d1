using CxrQa.Core.Model;
using CxrQa.Training.Backbone;
using Google.Protobuf;
using Onnx;

namespace CxrQa.Training.Export;

/// <summary>
/// Halves the serving graph's size by storing the large float initializers (convolution weights) as float16, each
/// followed by a Cast back to float: the graph still computes in fp32 (ONNX Runtime folds the Casts at session
/// start), only the stored weights lose precision. Small tensors (batch-norm parameters, the head) and the mean image
/// (input offsets of ~100 levels, where fp16 would round to 1/16 level) stay fp32.
/// </summary>
public static class Fp16Weights
{
    public const int MinimumElements = 4096;
    public const string Suffix = "_fp16";

    public static byte[] Convert(byte[] onnxModel)
    {
        var model = ModelProto.Parser.ParseFrom(onnxModel);
        var graph = model.Graph;
        var casts = new List<NodeProto>();
        foreach (var initializer in graph.Initializer)
        {
            // EndsWith: an ensemble graph prefixes initializer names with its member ("m0/...").
            if (initializer.DataType != (int)TensorProto.Types.DataType.Float || initializer.Name.EndsWith(ServingGraphNames.MeanImage, StringComparison.Ordinal))
                continue;
            var values = TensorProtoFloats.Read(initializer);
            if (values.Length < MinimumElements) continue;
            var raw = new byte[values.Length * 2];
            for (var i = 0; i < values.Length; i++)
                BitConverter.TryWriteBytes(raw.AsSpan(2 * i, 2), BitConverter.HalfToUInt16Bits((Half)values[i]));
            var name = initializer.Name;
            initializer.Name = name + Suffix;
            initializer.DataType = (int)TensorProto.Types.DataType.Float16;
            initializer.FloatData.Clear();
            initializer.RawData = ByteString.CopyFrom(raw);
            var cast = new NodeProto { OpType = "Cast", Name = "fp16_to_fp32_" + name };
            cast.Input.Add(name + Suffix);
            cast.Output.Add(name);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
            casts.Add(cast);
        }
        // IR 3 graphs list initializers among the inputs too: rename those entries (or drop them) to stay consistent.
        var renamed = casts.Select(c => c.Output[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var input in graph.Input.Where(i => renamed.Contains(i.Name)).ToList())
            graph.Input.Remove(input);
        for (var i = casts.Count - 1; i >= 0; i--)
            graph.Node.Insert(0, casts[i]);
        return model.ToByteArray();
    }
}
