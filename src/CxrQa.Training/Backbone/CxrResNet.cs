using CxrQa.Training.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CxrQa.Training.Backbone;

/// <summary>
/// The CNTK ResNet18 featurizer rebuilt as a torch module, with the mean-image subtraction in front and a linear
/// pneumonia head behind, so that it computes exactly what the serving graph computes.
/// <para>Input: N x 3 x 224 x 224 floats, 0..255, planes in BGR order (the backbone was trained on BGR minus a mean
/// image). Our films are grayscale replicated to 3 planes, so the order does not matter for them; anything colour
/// must be fed BGR.</para>
/// <para>Output: the pneumonia logit [N], the last block's activations [N,512,7,7] (Grad-CAM) and the global
/// average pool [N,512] (the embedding the head reads).</para>
/// Parameter names follow torchvision (conv1, bn1, layer1.0.conv1, ..., head); <see cref="OnnxNames"/> maps the
/// CNTK initializer names onto them.
/// </summary>
public sealed class CxrResNet : nn.Module<Tensor, (Tensor Logit, Tensor FeatureMap, Tensor Embedding)>
{
    public const string MeanImageName = "mean_image";

    private readonly Tensor _meanImage;
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly MaxPool2d _maxpool;
    private readonly Sequential[] _layers;
    private readonly Linear _head;
    private readonly SpatialPads _stemPads;
    private readonly SpatialPads _poolPads;

    /// <summary>Creates the module with fresh weights; <see cref="PretrainedBackbone"/> fills them from the ONNX files.</summary>
    public CxrResNet(BackboneSpec spec, long imageSize = 224) : base(nameof(CxrResNet))
    {
        TorchRuntime.EnsureLoadable();
        Spec = spec;
        ImageSize = imageSize;
        _stemPads = spec.StemConv.Pads;
        _poolPads = spec.StemPool.Pads;

        _meanImage = zeros(1, 3, imageSize, imageSize);
        register_buffer(MeanImageName, _meanImage);
        _conv1 = ConvBnLayers.Conv(spec.StemConv);
        _bn1 = ConvBnLayers.BatchNorm(spec.StemBn);
        _maxpool = nn.MaxPool2d(spec.StemPool.KernelSize, spec.StemPool.Stride, spec.StemPool.Pads.LayerPadding.Height);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("maxpool", _maxpool);
        _layers = spec.Stages
            .Select((blocks, s) => nn.Sequential(blocks.Select((b, i) => (i.ToString(), (nn.Module<Tensor, Tensor>)new BasicBlock($"layer{s + 1}.{i}", b)))))
            .ToArray();
        for (var s = 0; s < _layers.Length; s++)
            register_module($"layer{s + 1}", _layers[s]);
        _head = nn.Linear(spec.FeatureChannels, 1);
        register_module("head", _head);

        OnnxNames = BackboneNameMap.Create(spec);
    }

    public BackboneSpec Spec { get; }

    public long ImageSize { get; }

    /// <summary>CNTK initializer name -> this module's parameter or buffer name (every backbone initializer).</summary>
    public IReadOnlyDictionary<string, string> OnnxNames { get; }

    /// <summary>The stages (layer1..layer4), e.g. to freeze them or to hook the last one for Grad-CAM.</summary>
    public IReadOnlyList<Sequential> Layers => _layers;

    public Linear Head => _head;

    public override (Tensor Logit, Tensor FeatureMap, Tensor Embedding) forward(Tensor image)
    {
        if (image.ndim != 4 || image.shape[1] != 3 || image.shape[2] != ImageSize || image.shape[3] != ImageSize)
            throw new ArgumentException($"expected N x 3 x {ImageSize} x {ImageSize}, got [{string.Join(",", image.shape)}]", nameof(image));
        using var scope = NewDisposeScope();
        var x = image - _meanImage;
        x = nn.functional.relu(_bn1.call(_conv1.call(_stemPads.ApplyExplicit(x, 0))));
        // The ONNX MaxPool ignores its padding cells; -inf makes the explicit pad do the same.
        x = _maxpool.call(_poolPads.ApplyExplicit(x, double.NegativeInfinity));
        foreach (var layer in _layers)
            x = layer.call(x);
        var featureMap = x;
        // The graph's AveragePool covers the whole 7x7 map (kernel = map size, no padding): a global mean.
        var embedding = featureMap.mean([2, 3]);
        var logit = _head.call(embedding).squeeze(1);
        return (logit.MoveToOuterDisposeScope(), featureMap.MoveToOuterDisposeScope(), embedding.MoveToOuterDisposeScope());
    }
}
