using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace CxrQa.Training.Backbone;

/// <summary>Float tensors in and out of ONNX initializers (CNTK writes float_data; we write raw_data, the compact form).</summary>
public static class OnnxTensors
{
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"initializer '{tensor.Name}' is {(TensorProto.Types.DataType)tensor.DataType}, expected Float");
        var expected = tensor.Dims.Aggregate(1L, (a, d) => a * d);
        var values = tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() // ONNX raw_data is little-endian, as is x64
            : tensor.FloatData.ToArray();
        if (values.Length != expected)
            throw new InvalidDataException($"initializer '{tensor.Name}' holds {values.Length} values, its shape [{string.Join(",", tensor.Dims)}] needs {expected}");
        return values;
    }

    public static void WriteFloats(TensorProto tensor, ReadOnlySpan<float> values)
    {
        tensor.DataType = (int)TensorProto.Types.DataType.Float;
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
    }

    public static TensorProto Create(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var tensor = new TensorProto { Name = name };
        tensor.Dims.AddRange(dims);
        WriteFloats(tensor, values);
        return tensor;
    }
}
