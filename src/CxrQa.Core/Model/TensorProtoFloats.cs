using System.Buffers.Binary;
using Onnx;

namespace CxrQa.Core.Model;

/// <summary>Reads and writes float ONNX initializers (float_data or little-endian raw_data, as the spec allows both).</summary>
internal static class TensorProtoFloats
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

    public static TensorProto Create(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var floats = new float[values.Length];
        values.CopyTo(floats);
        tensor.FloatData.AddRange(floats);
        return tensor;
    }
}
