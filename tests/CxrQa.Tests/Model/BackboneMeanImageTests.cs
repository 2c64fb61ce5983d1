using CxrQa.Core.Model;

namespace CxrQa.Tests.Model;

[Collection(BackboneCollection.Name)]
public sealed class BackboneMeanImageTests(BackboneFixture backbone)
{
    [Fact]
    public void Mean_image_planes_are_BGR_with_the_published_channel_means()
    {
        var mean = BackboneMeanImage.Load(backbone.Files.PreprocessPath);

        Assert.Equal(BackboneMeanImage.Length, mean.Values.Length);
        Assert.Equal(103.06, mean.PlaneMean(0), 2);
        Assert.Equal(115.90, mean.PlaneMean(1), 2);
        Assert.Equal(123.15, mean.PlaneMean(2), 2);
    }

    [Fact]
    public void Shipped_preprocess_graph_equals_BGR_minus_the_extracted_mean_image()
    {
        var mean = BackboneMeanImage.Load(backbone.Files.PreprocessPath);
        var rgb = TestImages.SyntheticRgb();

        var shipped = OrtRun.Single(backbone.OriginalPreprocess, "OriginalInput", rgb, [1, 3, 224, 224], "PreprocessedInput");

        var bgr = TestImages.RgbToBgr(rgb);
        var ours = new float[bgr.Length];
        for (var i = 0; i < ours.Length; i++) ours[i] = bgr[i] - mean.Values[i];
        Assert.Equal(0f, TestImages.MaxAbsDiff(shipped, ours));
    }
}
