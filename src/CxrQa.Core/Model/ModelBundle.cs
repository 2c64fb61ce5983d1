using System.Text.Json;
using CxrQa.Core.Errors;
using Microsoft.ML.OnnxRuntime;

namespace CxrQa.Core.Model;

/// <summary>
/// A loaded model bundle: the card (<c>model.json</c>) and an ONNX Runtime session for its serving graph.
/// Load checks the card, the files' digests and the session's signature, so a bad bundle fails at start-up.
/// Thread-safe to share: <see cref="Run"/> may be called concurrently.
/// </summary>
public sealed class ModelBundle : IDisposable
{
    public const string CardFileName = "model.json";

    private readonly BatchedSessionRunner _runner;
    private readonly BatchedTensorSpec[] _outputs; // logit, embedding, feature_map[, member_logits][, depth_1..3]

    private ModelBundle(ModelCard card, string directory, ModelRuntimeOptions options, BatchedSessionRunner runner, BatchedTensorSpec[] outputs)
    {
        Card = card;
        Directory = directory;
        Options = options;
        _runner = runner;
        _outputs = outputs;
    }

    public ModelCard Card { get; }

    /// <summary>The bundle directory (full path).</summary>
    public string Directory { get; }

    public ModelRuntimeOptions Options { get; }

    /// <summary>Loads <c>dir/model.json</c>, assembles or opens the graph and checks the card against it.
    /// Throws CxrQaException(ErrorCodes.ModelInvalid) with a clear message on any mismatch.</summary>
    public static ModelBundle Load(string dir, ModelRuntimeOptions? options = null)
    {
        options ??= new ModelRuntimeOptions();
        options.Validate();
        var directory = Path.GetFullPath(dir);
        var card = ReadCard(directory);
        ModelCardValidator.Validate(card);

        var graph = card.Graph.Kind == GraphCard.Onnx
            ? ReadGraphFile(directory, card.Graph)
            : AssembleFromBackbone(card.Graph, options);

        var description = $"the graph of model '{card.Name}' {card.Version} ({card.Graph.Kind})";
        // The graph file's digest was checked against the card above; an assembled graph is hashed here.
        var graphSha256 = card.Graph.Kind == GraphCard.Onnx ? card.Graph.FileSha256!.Trim().ToLowerInvariant() : graph.ComputeSha256();
        var (session, hasDepth) = OpenServedGraph(graph, graphSha256, options, description);

        var members = card.Graph.Members?.Count ?? 1;
        var input = new BatchedTensorSpec(card.Graph.InputName, ServingGraphContract.InputItemShape);
        var outputs = new List<BatchedTensorSpec>
        {
            new(card.Graph.Outputs.Logit, ServingGraphContract.LogitItemShape),
            new(card.Graph.Outputs.Embedding, ServingGraphContract.EmbeddingItemShape),
            new(card.Graph.Outputs.FeatureMap, [ModelOutputs.EmbeddingSize * members, ModelOutputs.FeatureMapSide, ModelOutputs.FeatureMapSide]),
        };
        if (members > 1)
            outputs.Add(new(card.Graph.Outputs.MemberLogits ?? EnsembleGraph.MemberLogits, [members]));
        if (hasDepth)
            outputs.AddRange(DepthFeatureOutputs.Outputs.Select(d => new BatchedTensorSpec(d.Name, [d.Channels])));
        try
        {
            SessionSignature.Check(session, input, outputs, description);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new ModelBundle(card, directory, options, new BatchedSessionRunner(session, input, options.MaxBatch), [.. outputs])
        {
            Members = members,
            HasDepthFeatures = hasDepth,
        };
    }

    /// <summary>Ensemble members in the graph (1 for a single network).</summary>
    public int Members { get; private init; } = 1;

    /// <summary>Whether <see cref="ModelOutputs.DepthFeatures"/> are filled (the graph has the backbone's stages).</summary>
    public bool HasDepthFeatures { get; private init; }

    /// <summary>
    /// The session over the served graph (the bundle's graph with the depth features added), opened from
    /// <see cref="ModelRuntimeOptions.OptimizedGraphCache"/> when it holds the optimized form of this graph, else
    /// optimized here and, with a cache, written to it for the next start. A cache that cannot be written or read only
    /// costs the optimization; the answers are the same (tests/CxrQa.Tests/Model/OptimizedGraphCacheTests.cs).
    /// </summary>
    private static (InferenceSession Session, bool HasDepth) OpenServedGraph(OnnxGraph graph, string graphSha256,
        ModelRuntimeOptions options, string description)
    {
        // The recipe that turns the bundle's graph into the served one is part of the key: a new recipe, a new entry.
        var cached = options.OptimizedGraphCache is { Length: > 0 } cacheDirectory
            ? new OptimizedGraphCache(cacheDirectory).PathFor($"{graphSha256}+{DepthFeatureOutputs.Recipe}")
            : null;
        if (cached is not null && File.Exists(cached))
        {
            try
            {
                var session = OrtSessionFactory.OpenOptimized(cached, options);
                return (session, DepthFeatureOutputs.Outputs.All(d => session.OutputMetadata.ContainsKey(d.Name)));
            }
            catch (OnnxRuntimeException)
            {
                TryDelete(cached);
            }
        }
        var (served, hasDepth) = WithDepthFeatures(graph);
        var temporary = cached is not null && TryCreateDirectory(Path.GetDirectoryName(cached)!)
            ? $"{cached}.{Guid.NewGuid():N}.tmp"
            : null;
        InferenceSession created;
        try
        {
            created = OrtSessionFactory.Create(served, options, description, temporary);
        }
        catch (CxrQaException) when (temporary is not null)
        {
            TryDelete(temporary);
            return (OrtSessionFactory.Create(served, options, description), hasDepth);
        }
        if (temporary is not null)
        {
            try
            {
                File.Move(temporary, cached!, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDelete(temporary);
            }
        }
        return (created, hasDepth);
    }

    private static bool TryCreateDirectory(string path)
    {
        try
        {
            System.IO.Directory.CreateDirectory(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The graph with the earlier stages' pooled features as extra outputs (added in memory; the file on disk
    /// and its digest stay as they are).</summary>
    private static (OnnxGraph Graph, bool HasDepth) WithDepthFeatures(OnnxGraph graph)
    {
        var model = Onnx.ModelProto.Parser.ParseFrom(graph.Bytes);
        if (DepthFeatureOutputs.HasThem(model.Graph)) return (graph, true);
        return DepthFeatureOutputs.TryAdd(model.Graph)
            ? (new OnnxGraph(Google.Protobuf.MessageExtensions.ToByteArray(model)), true)
            : (graph, false);
    }

    /// <summary>Runs a batch: input is N x 3 x S x S floats (S = card.preprocessing.input_size), split into chunks of
    /// at most <see cref="ModelRuntimeOptions.MaxBatch"/>.</summary>
    public ModelOutputs Run(ReadOnlySpan<float> input, int count)
    {
        var results = _runner.Run(input, count, _outputs);
        var next = 3;
        var memberLogits = Members > 1 ? results[next++] : null;
        return new ModelOutputs(count, results[0], results[1], results[2])
        {
            Members = Members,
            MemberLogits = memberLogits,
            DepthFeatures = HasDepthFeatures ? results[next..] : [],
        };
    }

    public void Dispose() => _runner.Dispose();

    private static ModelCard ReadCard(string directory)
    {
        var path = Path.Combine(directory, CardFileName);
        if (!File.Exists(path))
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"No {CardFileName} in model directory '{directory}'.");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ModelCard>(stream, ModelCard.JsonOptions)
                   ?? throw ModelCardValidator.Invalid($"{path} is empty (null)");
        }
        catch (JsonException e)
        {
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"Invalid model card: {path} cannot be read: {e.Message}", e);
        }
    }

    private static OnnxGraph ReadGraphFile(string directory, GraphCard graph)
    {
        var path = Path.Combine(directory, graph.File!);
        if (!File.Exists(path))
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"The model graph '{path}' named by graph.file does not exist.");
        var bytes = File.ReadAllBytes(path);
        var actual = Sha256Hex.Of(bytes);
        if (!Sha256Hex.AreEqual(graph.FileSha256, actual))
            throw new CxrQaException(ErrorCodes.ModelInvalid,
                $"graph.file_sha256 in {CardFileName} is {graph.FileSha256} but '{path}' has SHA-256 {actual}: the graph file was changed or replaced.");
        return new OnnxGraph(bytes);
    }

    private static OnnxGraph AssembleFromBackbone(GraphCard graph, ModelRuntimeOptions options)
    {
        var files = BackboneFiles.Locate(options.BackboneDirectory);
        var backbone = File.ReadAllBytes(files.ModelPath);
        var actual = Sha256Hex.Of(backbone);
        if (!Sha256Hex.AreEqual(graph.BackboneSha256, actual))
            throw new CxrQaException(ErrorCodes.ModelInvalid,
                $"graph.backbone_sha256 in {CardFileName} is {graph.BackboneSha256} but the backbone '{files.ModelPath}' has SHA-256 {actual}: " +
                $"the head was trained on a different backbone ({graph.Backbone ?? "unnamed"}).");
        var builder = new ServingGraphBuilder(backbone, BackboneMeanImage.Load(files.PreprocessPath));
        return builder.BuildServingGraph(graph.Head!.Weights, graph.Head.Bias);
    }
}

public sealed record ModelRuntimeOptions
{
    public int IntraOpThreads { get; init; } = 0; // 0: ONNX Runtime's default
    public int MaxBatch { get; init; } = 8;

    /// <summary>What the server runs with unless configured (ServerOptions.OrtAllowSpinning): no spinning, chosen by
    /// measurement (docs/decisions.md). Also what the server benchmark's operating-point reference runs with.</summary>
    public const bool ServerAllowsSpinning = false;

    /// <summary>Whether ONNX Runtime's intra-op threads spin while waiting for work (its default). Spinning buys a little
    /// latency on an idle machine and burns the cores that decoding and the web server need on a busy one.</summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>Folder where ONNX Runtime's optimized form of each served graph is kept between starts
    /// (<see cref="OptimizedGraphCache"/>); null or empty: none, every load optimizes the graph again.</summary>
    public string? OptimizedGraphCache { get; init; }

    /// <summary>Folder holding ResNet18.onnx and ResNetPreprocess.onnx; null: <c>backbone/</c> beside the application.</summary>
    public string? BackboneDirectory { get; init; }

    internal void Validate()
    {
        if (IntraOpThreads < 0) throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "must be 0 (default) or positive");
        if (MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "must be at least 1");
    }
}
