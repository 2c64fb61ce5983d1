using System.Text.Json;
using System.Text.Json.Nodes;
using CxrQa.Core.Errors;
using CxrQa.Core.Model;

namespace CxrQa.Tests.Model;

[Collection(BackboneCollection.Name)]
public sealed class ModelBundleTests(BackboneFixture backbone) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cxrqa-bundle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ModelCard Card(GraphCard? graph = null) => new()
    {
        Name = "test-model",
        Version = "0.0.1",
        Created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Preprocessing = new PreprocessingCard(),
        DecisionPolicy = new DecisionPolicyCard(),
        Graph = graph ?? new GraphCard
        {
            Kind = GraphCard.FrozenBackboneLinearHead,
            Backbone = BackboneFiles.Identifier,
            BackboneSha256 = backbone.BackboneSha256,
            Head = new LinearHeadCard { Weights = backbone.HeadWeights, Bias = backbone.HeadBias },
        },
        ValidationMetrics = new Dictionary<string, double> { ["cv_auc"] = 0.99 },
    };

    /// <summary>Writes a card as JSON, edited by <paramref name="edit"/>, bypassing the writer's validation.</summary>
    private void WriteRawCard(Action<JsonObject> edit)
    {
        var json = JsonSerializer.SerializeToNode(Card(), ModelCard.JsonOptions)!.AsObject();
        edit(json);
        File.WriteAllText(Path.Combine(_dir, ModelBundle.CardFileName), json.ToJsonString());
    }

    private CxrQaException LoadFails()
    {
        var e = Assert.Throws<CxrQaException>(() => ModelBundle.Load(_dir));
        Assert.Equal(ErrorCodes.ModelInvalid, e.Code);
        return e;
    }

    [Fact]
    public void Load_rejects_a_head_with_511_weights()
    {
        WriteRawCard(j => j["graph"]!["head"]!["weights"]!.AsArray().RemoveAt(0));
        var e = LoadFails();
        Assert.Contains("graph.head.weights has 511 values, expected 512", e.Message);
    }

    [Fact]
    public void Load_rejects_a_non_finite_head_weight()
    {
        WriteRawCard(j => j["graph"]!["head"]!["weights"]![3] = "NaN");
        Assert.Contains("graph.head.weights[3] is NaN", LoadFails().Message);
    }

    [Fact]
    public void Load_rejects_a_different_backbone_hash()
    {
        WriteRawCard(j => j["graph"]!["backbone_sha256"] = new string('a', 64));
        var e = LoadFails();
        Assert.Contains("graph.backbone_sha256", e.Message);
        Assert.Contains(backbone.BackboneSha256, e.Message);
    }

    [Fact]
    public void Load_rejects_a_directory_without_model_json()
    {
        Assert.Contains("No model.json", LoadFails().Message);
    }

    [Fact]
    public void Load_rejects_an_unknown_graph_kind()
    {
        WriteRawCard(j => j["graph"]!["kind"] = "resnet_with_magic");
        Assert.Contains("graph.kind 'resnet_with_magic' is unknown", LoadFails().Message);
    }

    [Fact]
    public void Load_rejects_other_classes_and_input_sizes()
    {
        WriteRawCard(j => j["classes"] = new JsonArray("Pneumonia", "Normal"));
        Assert.Contains("classes are [Pneumonia, Normal]", LoadFails().Message);

        WriteRawCard(j => j["preprocessing"]!["input_size"] = 256);
        Assert.Contains("preprocessing.input_size is 256", LoadFails().Message);
    }

    [Fact]
    public void Load_rejects_malformed_json()
    {
        File.WriteAllText(Path.Combine(_dir, ModelBundle.CardFileName), "{ \"name\": ");
        Assert.Contains("cannot be read", LoadFails().Message);
    }

    [Fact]
    public void Load_reports_a_missing_backbone_directory()
    {
        ModelBundleWriter.Save(_dir, Card());
        var e = Assert.Throws<CxrQaException>(() =>
            ModelBundle.Load(_dir, new ModelRuntimeOptions { BackboneDirectory = Path.Combine(_dir, "nowhere") }));
        Assert.Equal(ErrorCodes.ModelInvalid, e.Code);
        Assert.Contains("ResNet18.onnx", e.Message);
    }

    [Fact]
    public void Frozen_backbone_bundle_round_trips_through_save_and_load()
    {
        var card = Card();
        ModelBundleWriter.Save(_dir, card);

        using var bundle = ModelBundle.Load(_dir, new ModelRuntimeOptions { MaxBatch = 2 });

        Assert.Equal(JsonSerializer.Serialize(card, ModelCard.JsonOptions), JsonSerializer.Serialize(bundle.Card, ModelCard.JsonOptions));
        Assert.Equal(Path.GetFullPath(_dir), bundle.Directory);

        // 3 films with MaxBatch 2: two chunks, same answers as the directly assembled graph.
        var images = TestImages.Concat(TestImages.Film("train", "NORMAL", 0), TestImages.SyntheticRgb(3), TestImages.Film("train", "PNEUMONIA", 7));
        var outputs = bundle.Run(images, 3);
        var expected = OrtRun.Many(backbone.Serving, ServingGraphContract.Input, images, [3, 3, 224, 224],
            ServingGraphContract.Logit, ServingGraphContract.Embedding, ServingGraphContract.FeatureMap);

        Assert.Equal(3, outputs.Count);
        Assert.InRange(TestImages.MaxAbsDiff(expected[ServingGraphContract.Logit], outputs.Logits), 0f, 1e-4f);
        Assert.InRange(TestImages.MaxAbsDiff(expected[ServingGraphContract.Embedding], outputs.Embeddings), 0f, 1e-4f);
        Assert.InRange(TestImages.MaxAbsDiff(expected[ServingGraphContract.FeatureMap], outputs.FeatureMaps), 0f, 1e-4f);
    }

    [Fact]
    public void Onnx_bundle_round_trips_and_rejects_a_changed_graph_file()
    {
        var written = ModelBundleWriter.Save(_dir, Card(new GraphCard { Kind = GraphCard.Onnx }), backbone.ServingGraph);
        Assert.Equal(ModelBundleWriter.DefaultGraphFileName, written.Graph.File);
        Assert.Equal(backbone.ServingGraph.ComputeSha256(), written.Graph.FileSha256);

        var film = TestImages.Film("train", "PNEUMONIA", 3);
        using (var bundle = ModelBundle.Load(_dir))
        {
            var logit = bundle.Run(film, 1).Logits[0];
            var expected = OrtRun.Single(backbone.Serving, ServingGraphContract.Input, film, [1, 3, 224, 224], ServingGraphContract.Logit)[0];
            Assert.Equal(expected, logit, 4);
        }

        using (var stream = File.OpenWrite(Path.Combine(_dir, ModelBundleWriter.DefaultGraphFileName)))
            stream.WriteByte(0);
        Assert.Contains("graph.file_sha256", LoadFails().Message);
    }

    [Fact]
    public void Onnx_bundle_with_a_fixed_batch_graph_is_rejected_naming_the_input()
    {
        // The shipped backbone itself: input Input247 [1,3,224,224], no logit.
        var original = new OnnxGraph(File.ReadAllBytes(backbone.Files.ModelPath));
        ModelBundleWriter.Save(_dir, Card(new GraphCard { Kind = GraphCard.Onnx }), original);

        Assert.Contains("has no input 'image'", LoadFails().Message);
    }

    [Fact]
    public void Concurrent_runs_on_one_bundle_give_the_same_answers_as_sequential_ones()
    {
        ModelBundleWriter.Save(_dir, Card());
        using var bundle = ModelBundle.Load(_dir, new ModelRuntimeOptions { MaxBatch = 1 });
        float[][] images = [.. Enumerable.Range(0, 4).Select(i => TestImages.Film("train", i % 2 == 0 ? "NORMAL" : "PNEUMONIA", 10 + i))];
        var sequential = images.Select(image => bundle.Run(image, 1).Logits[0]).ToArray();

        var concurrent = new float[images.Length];
        Parallel.For(0, images.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => concurrent[i] = bundle.Run(images[i], 1).Logits[0]);

        Assert.InRange(TestImages.MaxAbsDiff(sequential, concurrent), 0f, 1e-4f);
    }

    [Fact]
    public void Run_rejects_an_input_of_the_wrong_length_and_accepts_an_empty_batch()
    {
        ModelBundleWriter.Save(_dir, Card());
        using var bundle = ModelBundle.Load(_dir);

        Assert.Throws<ArgumentException>(() => bundle.Run(new float[TestImages.Length - 1], 1));
        var empty = bundle.Run(ReadOnlySpan<float>.Empty, 0);
        Assert.Equal(0, empty.Count);
        Assert.Empty(empty.Logits);
    }
}
