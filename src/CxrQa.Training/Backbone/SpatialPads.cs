using TorchSharp;
using static TorchSharp.torch;

namespace CxrQa.Training.Backbone;

/// <summary>
/// 2-D padding as ONNX writes it (<c>pads = [top, left, bottom, right]</c>). The CNTK graph pads asymmetrically
/// (conv1 3,3,2,2; the stride-2 3x3 convolutions and the max pool 1,1,0,0), which torch's Conv2d/MaxPool2d cannot
/// express, so those layers pad explicitly first and then run unpadded.
/// </summary>
public readonly record struct SpatialPads(int Top, int Left, int Bottom, int Right)
{
    public static SpatialPads FromOnnx(IReadOnlyList<long> pads) => pads.Count switch
    {
        0 => default,
        4 => new((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]),
        _ => throw new InvalidDataException($"expected 4 pads for a 2-D operator, got {pads.Count}"),
    };

    public bool IsSymmetric => Top == Bottom && Left == Right;

    /// <summary>Padding to hand to the layer itself: the symmetric amount, or none when padding explicitly.</summary>
    public (long Height, long Width) LayerPadding => IsSymmetric ? (Top, Left) : (0, 0);

    /// <summary>Pads <paramref name="x"/> explicitly when the layer cannot; returns it unchanged otherwise.</summary>
    /// <param name="value">The fill: 0 before a convolution; -inf before a max pool (ONNX ignores pad cells there).</param>
    public Tensor ApplyExplicit(Tensor x, double value) =>
        IsSymmetric ? x : nn.functional.pad(x, new long[] { Left, Right, Top, Bottom }, PaddingModes.Constant, value);

    public override string ToString() => $"({Top},{Left},{Bottom},{Right})";
}
