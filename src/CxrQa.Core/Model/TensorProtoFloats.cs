using System.Buffers.Binary;
using Onnx;

namespace CxrQa.Core.Model;

/// <summary>Reads and writes float ONNX initializers (float_data or little-endian raw_data, as the spec allows both).</summary>
public static class TensorProtoFloats
{
    public static float[] Read(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"initializer '{tensor.Name}' is not float (data_type {tensor.DataType})");
        var expected = tensor.Dims.Aggregate(1L, (a, d) => a * d);
        float[] values;
        if (tensor.FloatData.Count > 0)
        {
            values = [.. tensor.FloatData];
        }
        else
        {
            var raw = tensor.RawData.Span;
            values = new float[raw.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++)
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
        }
        if (values.Length != expected)
            throw new InvalidDataException($"initializer '{tensor.Name}' holds {values.Length} floats, its shape needs {expected}");
        return values;
    }

    /// <summary>Replaces the tensor's values (same shape) with <paramref name="values"/> as compact raw_data.</summary>
    public static void Write(TensorProto tensor, ReadOnlySpan<float> values)
    {
        tensor.DataType = (int)TensorProto.Types.DataType.Float;
        tensor.FloatData.Clear();
        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        tensor.RawData = Google.Protobuf.ByteString.CopyFrom(raw);
    }

    public static TensorProto Create(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name };
        tensor.Dims.AddRange(dims);
        Write(tensor, values);
        return tensor;
    }
}
