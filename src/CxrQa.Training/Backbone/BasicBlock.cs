using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CxrQa.Training.Backbone;

/// <summary>
/// A ResNet basic block as the CNTK graph has it: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), where the
/// shortcut is x or bn(conv1x1/2(x)). Parameter names follow torchvision (conv1, bn1, conv2, bn2, downsample.0/1).
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Sequential? _downsample;
    private readonly SpatialPads _conv1Pads;
    private readonly SpatialPads _conv2Pads;

    public BasicBlock(string name, BlockSpec spec) : base(name)
    {
        if ((spec.DownsampleConv is null) != (spec.DownsampleBn is null))
            throw new ArgumentException("a downsampling shortcut needs both its conv and its batch norm", nameof(spec));
        if (spec.DownsampleConv is { Pads.IsSymmetric: false })
            throw new ArgumentException("asymmetric padding on a shortcut convolution is not supported", nameof(spec));
        _conv1Pads = spec.Conv1.Pads;
        _conv2Pads = spec.Conv2.Pads;
        _conv1 = ConvBnLayers.Conv(spec.Conv1);
        _bn1 = ConvBnLayers.BatchNorm(spec.Bn1);
        _conv2 = ConvBnLayers.Conv(spec.Conv2);
        _bn2 = ConvBnLayers.BatchNorm(spec.Bn2);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        if (spec.DownsampleConv is not null && spec.DownsampleBn is not null)
        {
            _downsample = nn.Sequential(ConvBnLayers.Conv(spec.DownsampleConv), ConvBnLayers.BatchNorm(spec.DownsampleBn));
            register_module("downsample", _downsample);
        }
    }

    public override Tensor forward(Tensor x)
    {
        // Frees this block's intermediates as soon as it returns; autograd keeps what backward needs on its own.
        using var scope = NewDisposeScope();
        var y = _bn1.call(_conv1.call(_conv1Pads.ApplyExplicit(x, 0)));
        y = nn.functional.relu(y);
        y = _bn2.call(_conv2.call(_conv2Pads.ApplyExplicit(y, 0)));
        var shortcut = _downsample is null ? x : _downsample.call(x);
        return nn.functional.relu(y.add_(shortcut)).MoveToOuterDisposeScope();
    }
}
