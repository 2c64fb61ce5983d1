using CxrQa.Core.Model;

namespace CxrQa.Tests.Model;

[Collection(BackboneCollection.Name)]
public sealed class BackboneFeatureExtractorTests(BackboneFixture backbone)
{
    [Fact]
    public void Features_equal_the_serving_graph_and_embeddings_only_equal_the_full_extraction()
    {
        using var extractor = BackboneFeatureExtractor.Create(new ModelRuntimeOptions { MaxBatch = 2 });
        var images = TestImages.Concat(TestImages.Film("train", "NORMAL", 6), TestImages.Film("train", "PNEUMONIA", 6), TestImages.SyntheticRgb(4));

        var features = extractor.Extract(images, 3);
        var embeddings = extractor.ExtractEmbeddings(images, 3);
        var serving = OrtRun.Many(backbone.Serving, ServingGraphContract.Input, images, [3, 3, 224, 224],
            ServingGraphContract.Embedding, ServingGraphContract.FeatureMap);

        Assert.Equal(backbone.BackboneSha256, extractor.BackboneSha256);
        Assert.Equal(3 * 512, embeddings.Length);
        Assert.InRange(TestImages.MaxAbsDiff(features.Embeddings, embeddings), 0f, 1e-4f);
        Assert.InRange(TestImages.MaxAbsDiff(serving[ServingGraphContract.Embedding], features.Embeddings), 0f, 1e-4f);
        Assert.InRange(TestImages.MaxAbsDiff(serving[ServingGraphContract.FeatureMap], features.FeatureMaps), 0f, 1e-4f);
    }

    [Fact]
    public void Graph_card_for_a_trained_head_names_the_backbone_it_came_from()
    {
        using var extractor = BackboneFeatureExtractor.Create();
        var graph = extractor.CreateLinearHeadGraphCard(backbone.HeadWeights, backbone.HeadBias);

        Assert.Equal(GraphCard.FrozenBackboneLinearHead, graph.Kind);
        Assert.Equal(BackboneFiles.Identifier, graph.Backbone);
        Assert.Equal(backbone.BackboneSha256, graph.BackboneSha256);
    }
}
