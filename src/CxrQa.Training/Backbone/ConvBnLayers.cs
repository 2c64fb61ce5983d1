using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CxrQa.Training.Backbone;

/// <summary>Creates the torch layers for the graph's Conv and BatchNormalization nodes.</summary>
internal static class ConvBnLayers
{
    public static Conv2d Conv(ConvSpec spec) =>
        nn.Conv2d(spec.InChannels, spec.OutChannels, (spec.KernelSize, spec.KernelSize), stride: (spec.Stride, spec.Stride),
            padding: spec.Pads.LayerPadding, bias: false);

    public static BatchNorm2d BatchNorm(BatchNormSpec spec) =>
        nn.BatchNorm2d(spec.Channels, eps: spec.Epsilon, momentum: spec.TorchMomentum);
}
