using CxrQa.Core.Model;
using Microsoft.ML.OnnxRuntime;

namespace CxrQa.Tests.Model;

[Collection(BackboneCollection.Name)]
public sealed class ServingGraphTests(BackboneFixture backbone)
{
    private const float Tolerance = 1e-4f;
    private static readonly string[] AllOutputs =
        [ServingGraphContract.Logit, ServingGraphContract.Embedding, ServingGraphContract.FeatureMap];

    private Dictionary<string, float[]> RunServing(float[] images, int count) =>
        OrtRun.Many(backbone.Serving, ServingGraphContract.Input, images, [count, 3, 224, 224], AllOutputs);

    [Fact]
    public void Embedding_of_a_synthetic_colour_image_equals_the_shipped_preprocess_and_backbone()
    {
        var rgb = TestImages.SyntheticRgb();

        var reference = backbone.ReferenceEmbedding(rgb);
        var ours = RunServing(TestImages.RgbToBgr(rgb), 1)[ServingGraphContract.Embedding];

        Assert.InRange(TestImages.MaxAbsDiff(reference, ours), 0f, Tolerance);
        Assert.Contains(ours, v => v > 0.1f); // not trivially zero
    }

    [Theory]
    [InlineData("NORMAL", 0)]
    [InlineData("PNEUMONIA", 0)]
    [InlineData("PNEUMONIA", 100)]
    public void Embedding_of_a_real_film_equals_the_shipped_preprocess_and_backbone(string label, int index)
    {
        var film = TestImages.Film("train", label, index); // gray x3: RGB and BGR are the same planes

        var reference = backbone.ReferenceEmbedding(film);
        var ours = RunServing(film, 1)[ServingGraphContract.Embedding];

        Assert.InRange(TestImages.MaxAbsDiff(reference, ours), 0f, Tolerance);
    }

    [Fact]
    public void A_batch_of_five_equals_five_single_runs()
    {
        float[][] images =
        [
            TestImages.SyntheticRgb(1), TestImages.Film("train", "NORMAL", 1), TestImages.SyntheticRgb(2),
            TestImages.Film("train", "PNEUMONIA", 2), TestImages.Film("train", "NORMAL", 3),
        ];

        var batch = RunServing(TestImages.Concat(images), images.Length);

        for (var i = 0; i < images.Length; i++)
        {
            var single = RunServing(images[i], 1);
            foreach (var name in AllOutputs)
            {
                var itemLength = single[name].Length;
                Assert.InRange(TestImages.MaxAbsDiff(single[name], batch[name].AsSpan(i * itemLength, itemLength)), 0f, Tolerance);
            }
        }
    }

    [Fact]
    public void Logit_is_the_linear_head_applied_to_the_embedding()
    {
        var images = TestImages.Concat(TestImages.Film("train", "NORMAL", 4), TestImages.Film("train", "PNEUMONIA", 4));
        var outputs = RunServing(images, 2);

        Assert.Equal(2, outputs[ServingGraphContract.Logit].Length);
        for (var i = 0; i < 2; i++)
        {
            var embedding = outputs[ServingGraphContract.Embedding].AsSpan(i * 512, 512);
            double expected = backbone.HeadBias;
            for (var k = 0; k < 512; k++) expected += backbone.HeadWeights[k] * (double)embedding[k];
            Assert.InRange(Math.Abs(outputs[ServingGraphContract.Logit][i] - expected), 0, Tolerance);
        }
    }

    [Fact]
    public void Feature_map_averaged_over_7x7_is_the_embedding()
    {
        var outputs = RunServing(TestImages.Film("train", "PNEUMONIA", 5), 1);
        var map = outputs[ServingGraphContract.FeatureMap];
        var embedding = outputs[ServingGraphContract.Embedding];

        Assert.Equal(512 * 7 * 7, map.Length);
        var pooled = new float[512];
        for (var c = 0; c < 512; c++)
        {
            double sum = 0;
            for (var p = 0; p < 49; p++) sum += map[c * 49 + p];
            pooled[c] = (float)(sum / 49);
        }
        Assert.InRange(TestImages.MaxAbsDiff(pooled, embedding), 0f, Tolerance);
    }

    [Fact]
    public void Graphs_declare_a_symbolic_batch_dimension_on_every_input_and_output()
    {
        using var features = new InferenceSession(backbone.Builder.BuildFeatureGraph().Bytes);

        foreach (var session in new[] { backbone.Serving, features })
        foreach (var (name, meta) in session.InputMetadata.Concat(session.OutputMetadata))
        {
            Assert.Equal(-1, meta.Dimensions[0]);
            Assert.Equal(ServingGraphContract.BatchDimension, meta.SymbolicDimensions[0]);
        }
        Assert.Equal([ServingGraphContract.Embedding, ServingGraphContract.FeatureMap], features.OutputMetadata.Keys.Order());
        Assert.Equal([-1, 512, 7, 7], backbone.Serving.OutputMetadata[ServingGraphContract.FeatureMap].Dimensions);
        Assert.Equal([-1, 1], backbone.Serving.OutputMetadata[ServingGraphContract.Logit].Dimensions);
    }
}
