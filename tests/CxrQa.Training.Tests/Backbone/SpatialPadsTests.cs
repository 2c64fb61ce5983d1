using CxrQa.Training.Backbone;
using CxrQa.Training.Native;
using static TorchSharp.torch;

namespace CxrQa.Training.Tests.Backbone;

public sealed class SpatialPadsTests
{
    [Fact]
    public void Onnx_pads_are_top_left_bottom_right_and_asymmetric_ones_pad_explicitly()
    {
        TorchRuntime.EnsureLoadable();
        using var scope = NewDisposeScope();
        var pads = SpatialPads.FromOnnx([3, 3, 2, 2]);
        Assert.False(pads.IsSymmetric);
        Assert.Equal((0L, 0L), pads.LayerPadding);

        var padded = pads.ApplyExplicit(ones(1, 1, 4, 4), double.NegativeInfinity);

        Assert.Equal([1L, 1, 9, 9], padded.shape);
        Assert.Equal(16, padded.isfinite().sum().item<long>());
        Assert.Equal(1f, padded[0, 0, 3, 3].item<float>()); // first real cell after 3 rows/cols of padding
        Assert.Equal(1f, padded[0, 0, 6, 6].item<float>()); // last real cell, then 2 rows/cols of padding
    }

    [Fact]
    public void Symmetric_pads_are_left_to_the_layer()
    {
        var pads = SpatialPads.FromOnnx([1, 1, 1, 1]);
        Assert.True(pads.IsSymmetric);
        Assert.Equal((1L, 1L), pads.LayerPadding);
    }
}
