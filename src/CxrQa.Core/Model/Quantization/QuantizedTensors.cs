using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace CxrQa.Core.Model.Quantization;

/// <summary>Creates the integer initializers of a QDQ graph (little-endian raw_data, as ONNX stores them).</summary>
internal static class QuantizedTensors
{
    public static TensorProto Int8(string name, ReadOnlySpan<sbyte> values, params long[] dims)
    {
        var raw = new byte[values.Length];
        for (var i = 0; i < values.Length; i++) raw[i] = unchecked((byte)values[i]);
        return Create(name, TensorProto.Types.DataType.Int8, raw, dims);
    }

    public static TensorProto UInt8(string name, ReadOnlySpan<byte> values, params long[] dims) =>
        Create(name, TensorProto.Types.DataType.Uint8, values.ToArray(), dims);

    public static TensorProto Int32(string name, ReadOnlySpan<int> values, params long[] dims)
    {
        var raw = new byte[values.Length * sizeof(int)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(i * sizeof(int)), values[i]);
        return Create(name, TensorProto.Types.DataType.Int32, raw, dims);
    }

    private static TensorProto Create(string name, TensorProto.Types.DataType type, byte[] raw, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
