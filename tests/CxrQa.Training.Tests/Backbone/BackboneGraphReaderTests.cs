using CxrQa.Core.Model;
using CxrQa.Training.Backbone;
using Onnx;

namespace CxrQa.Training.Tests.Backbone;

public sealed class BackboneGraphReaderTests
{
    [Fact]
    public void Reads_the_cntk_resnet18_structure()
    {
        var model = OnnxModelFile.Read(BackboneFiles.Locate().ModelPath);
        var spec = BackboneGraphReader.Read(model);

        Assert.Equal([2, 2, 2, 3], spec.Stages.Select(s => s.Count));
        Assert.Equal(new SpatialPads(3, 3, 2, 2), spec.StemConv.Pads);
        Assert.Equal(new SpatialPads(1, 1, 0, 0), spec.StemPool.Pads);
        Assert.Equal("Parameter91", spec.StemConv.WeightName);
        Assert.All(spec.Stages.Skip(1), s => Assert.NotNull(s[0].DownsampleConv));
        Assert.Null(spec.Stages[0][0].DownsampleConv);
        Assert.Equal(512, spec.FeatureChannels);
        Assert.Equal(7, spec.PoolKernelSize);
        Assert.Equal(1e-5, spec.StemBn.Epsilon, 1e-9);

        var names = BackboneNameMap.Create(spec);
        Assert.Equal(110, names.Count);
        Assert.Equal(model.Graph.Initializer.Select(t => t.Name).Order(), names.Keys.Order());
        Assert.Equal("conv1.weight", names["Parameter91"]);
        Assert.Equal("bn1.running_var", names["Constant99"]);
    }

    [Fact]
    public void Rejects_a_graph_with_an_unrecognised_node()
    {
        var model = OnnxModelFile.Read(BackboneFiles.Locate().ModelPath);
        var extra = new NodeProto { OpType = "Relu", Name = "Stray" };
        extra.Input.Add(model.Graph.Node[0].Output[0]);
        extra.Output.Add("stray_out");
        model.Graph.Node.Add(extra);

        var error = Assert.Throws<InvalidDataException>(() => BackboneGraphReader.Read(model));
        Assert.Contains("Stray", error.Message);
    }
}
