namespace CxrQa.Core.Model;

/// <summary>Backbone outputs for N films, flattened row-major.</summary>
/// <param name="Count">N.</param>
/// <param name="Embeddings">N x 512 pooled features.</param>
/// <param name="FeatureMaps">N x 512 x 7 x 7 last-block activations.</param>
public sealed record BackboneFeatures(int Count, float[] Embeddings, float[] FeatureMaps)
{
    public ReadOnlySpan<float> Embedding(int i) => Embeddings.AsSpan(i * ModelOutputs.EmbeddingSize, ModelOutputs.EmbeddingSize);
    public ReadOnlySpan<float> FeatureMap(int i) => FeatureMaps.AsSpan(i * ModelOutputs.FeatureMapSize, ModelOutputs.FeatureMapSize);
}

/// <summary>
/// Runs the backbone alone (the features-only graph: same input as serving, no head) for training a head.
/// Thread-safe to share.
/// </summary>
public sealed class BackboneFeatureExtractor : IDisposable
{
    private static readonly BatchedTensorSpec InputSpec = new(ServingGraphContract.Input, ServingGraphContract.InputItemShape);
    private static readonly BatchedTensorSpec EmbeddingSpec = new(ServingGraphContract.Embedding, ServingGraphContract.EmbeddingItemShape);
    private static readonly BatchedTensorSpec FeatureMapSpec = new(ServingGraphContract.FeatureMap, ServingGraphContract.FeatureMapItemShape);

    private readonly BatchedSessionRunner _runner;

    private BackboneFeatureExtractor(BatchedSessionRunner runner, string backboneSha256)
    {
        _runner = runner;
        BackboneSha256 = backboneSha256;
    }

    /// <summary>SHA-256 of the ResNet18.onnx the features come from (for <c>graph.backbone_sha256</c>).</summary>
    public string BackboneSha256 { get; }

    /// <summary>Assembles the features-only graph from the backbone in <see cref="ModelRuntimeOptions.BackboneDirectory"/>
    /// (default <c>backbone/</c> beside the application) and opens a session for it.</summary>
    public static BackboneFeatureExtractor Create(ModelRuntimeOptions? options = null)
    {
        options ??= new ModelRuntimeOptions();
        options.Validate();
        var files = BackboneFiles.Locate(options.BackboneDirectory);
        var backbone = File.ReadAllBytes(files.ModelPath);
        var graph = new ServingGraphBuilder(backbone, BackboneMeanImage.Load(files.PreprocessPath)).BuildFeatureGraph();
        const string description = "the backbone features graph";
        var session = OrtSessionFactory.Create(graph, options, description);
        try
        {
            SessionSignature.Check(session, InputSpec, [EmbeddingSpec, FeatureMapSpec], description);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new BackboneFeatureExtractor(new BatchedSessionRunner(session, InputSpec, options.MaxBatch), Sha256Hex.Of(backbone));
    }

    /// <summary>Embeddings and feature maps for N images (input N x 3 x 224 x 224, gray 0..255 x3).</summary>
    public BackboneFeatures Extract(ReadOnlySpan<float> input, int count)
    {
        var results = _runner.Run(input, count, [EmbeddingSpec, FeatureMapSpec]);
        return new BackboneFeatures(count, results[0], results[1]);
    }

    /// <summary>Embeddings only (N x 512): the feature maps are not copied out, which matters over thousands of films.</summary>
    public float[] ExtractEmbeddings(ReadOnlySpan<float> input, int count) => _runner.Run(input, count, [EmbeddingSpec])[0];

    /// <summary>The card's graph section for a linear head trained on this extractor's embeddings.</summary>
    public GraphCard CreateLinearHeadGraphCard(float[] weights, float bias) => new()
    {
        Kind = GraphCard.FrozenBackboneLinearHead,
        Backbone = BackboneFiles.Identifier,
        BackboneSha256 = BackboneSha256,
        Head = new LinearHeadCard { Weights = weights, Bias = bias },
    };

    public void Dispose() => _runner.Dispose();
}
