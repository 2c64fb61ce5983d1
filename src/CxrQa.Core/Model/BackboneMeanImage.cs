using CxrQa.Core.Errors;
using Google.Protobuf;
using Onnx;

namespace CxrQa.Core.Model;

/// <summary>
/// The per-pixel mean image the ResNet18 featurizer was trained with, [3,224,224] in BGR plane order.
/// </summary>
/// <remarks>
/// What ResNetPreprocess.onnx is (inspected with OnnxSharp; IR 3, opset 8, producer "TLC", 3 nodes):
/// <code>
///   OriginalInput [1,3,224,224] (RGB planes, 0..255)
///   Split(axis=1, split=[1,1,1])   -> RInp, GInp, BInp
///   Concat(BInp, GInp, RInp; axis=1) -> BGRInput
///   Sub(BGRInput, MeanImage)       -> PreprocessedInput
/// </code>
/// <c>MeanImage</c> is its only initializer: float [1,3,224,224] stored as float_data, values about 95..130,
/// plane means B/G/R = 103.06 / 115.90 / 123.15. There is no division by a standard deviation. Running that graph in
/// ONNX Runtime equals our own BGR-minus-this-image subtraction (tests/CxrQa.Tests/Model/BackboneMeanImageTests.cs).
/// We read the initializer by following the Sub node rather than by its name so a re-export with other names still works.
/// </remarks>
public sealed class BackboneMeanImage
{
    public const int Channels = 3;
    public const int Side = 224;
    public const int Length = Channels * Side * Side;

    private readonly float[] _values;

    private BackboneMeanImage(float[] values) => _values = values;

    /// <summary>CHW, planes B, G, R.</summary>
    public ReadOnlySpan<float> Values => _values;

    public static BackboneMeanImage Load(string preprocessOnnxPath)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(preprocessOnnxPath));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Invalid(preprocessOnnxPath, "it is not an ONNX model", e);
        }

        var graph = model.Graph ?? throw Invalid(preprocessOnnxPath, "it has no graph");
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var subtracted = graph.Node
            .Where(n => n.OpType == "Sub" && n.Input.Count == 2 && initializers.ContainsKey(n.Input[1]))
            .Select(n => initializers[n.Input[1]])
            .ToList();
        if (subtracted.Count != 1)
            throw Invalid(preprocessOnnxPath, $"expected one Sub node subtracting an initializer, found {subtracted.Count}");

        var mean = subtracted[0];
        if (!mean.Dims.SequenceEqual([1L, Channels, Side, Side]))
            throw Invalid(preprocessOnnxPath, $"mean image '{mean.Name}' has shape [{string.Join(",", mean.Dims)}], expected [1,3,224,224]");
        return new BackboneMeanImage(TensorProtoFloats.Read(mean));
    }

    /// <summary>Mean of one plane (0 = B, 1 = G, 2 = R).</summary>
    public double PlaneMean(int plane)
    {
        var span = Values.Slice(plane * Side * Side, Side * Side);
        double sum = 0;
        foreach (var v in span) sum += v;
        return sum / span.Length;
    }

    private static CxrQaException Invalid(string path, string why, Exception? inner = null) =>
        new(ErrorCodes.ModelInvalid, $"Cannot read the backbone mean image from '{path}': {why}.", inner);
}
