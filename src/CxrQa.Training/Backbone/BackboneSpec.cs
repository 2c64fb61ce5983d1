namespace CxrQa.Training.Backbone;

/// <summary>A bias-free convolution of the backbone graph: its weight initializer and geometry.</summary>
public sealed record ConvSpec(string WeightName, long OutChannels, long InChannels, long KernelSize, long Stride, SpatialPads Pads);

/// <summary>
/// An inference BatchNormalization node (spatial=1): its four initializers and epsilon. <see cref="TorchMomentum"/>
/// is ONNX's momentum turned into torch's convention (ONNX/CNTK keep <c>momentum</c> of the running value, torch
/// replaces <c>momentum</c> of it), used only if the statistics are updated in training.
/// </summary>
public sealed record BatchNormSpec(string ScaleName, string BiasName, string MeanName, string VarianceName, long Channels,
    double Epsilon, double OnnxMomentum)
{
    public double TorchMomentum => 1.0 - OnnxMomentum;
}

/// <summary>A basic residual block: conv-bn-relu-conv-bn plus the shortcut (identity, or a strided 1x1 conv-bn).</summary>
public sealed record BlockSpec(ConvSpec Conv1, BatchNormSpec Bn1, ConvSpec Conv2, BatchNormSpec Bn2,
    ConvSpec? DownsampleConv, BatchNormSpec? DownsampleBn);

public sealed record MaxPoolSpec(long KernelSize, long Stride, SpatialPads Pads);

/// <summary>
/// The structure of the CNTK ResNet18 graph as read from its nodes (see <see cref="BackboneGraphReader"/>), with the
/// names of the tensors the serving export attaches to.
/// </summary>
public sealed record BackboneSpec(
    string InputName,
    ConvSpec StemConv,
    BatchNormSpec StemBn,
    MaxPoolSpec StemPool,
    IReadOnlyList<IReadOnlyList<BlockSpec>> Stages,
    string FeatureMapName,
    string PooledName,
    long PoolKernelSize)
{
    public long FeatureChannels => Stages[^1][^1].Conv2.OutChannels;
}
