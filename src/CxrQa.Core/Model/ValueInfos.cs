using Onnx;

namespace CxrQa.Core.Model;

/// <summary>Builds ONNX value_info entries.</summary>
internal static class ValueInfos
{
    /// <summary>float tensor [N, itemShape...] with the symbolic batch dimension.</summary>
    public static ValueInfoProto FloatTensor(string name, IReadOnlyList<int> itemShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = ServingGraphContract.BatchDimension });
        foreach (var d in itemShape) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
