using System.Text.RegularExpressions;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Model;

/// <summary>Checks what can be checked in a model card on its own (before any file or graph is touched).</summary>
internal static partial class ModelCardValidator
{
    public static readonly IReadOnlyList<string> ExpectedClasses = ["Normal", "Pneumonia"];

    public static void Validate(ModelCard card)
    {
        if (card.Format != ModelCard.CurrentFormat)
            throw Invalid($"format {card.Format} is not supported (this build reads format {ModelCard.CurrentFormat})");
        if (card.Classes is null || !card.Classes.SequenceEqual(ExpectedClasses))
            throw Invalid($"classes are [{string.Join(", ", card.Classes ?? [])}], expected [{string.Join(", ", ExpectedClasses)}]");
        if (card.Preprocessing is null || card.Preprocessing.InputSize != ServingGraphContract.InputSize)
            throw Invalid($"preprocessing.input_size is {card.Preprocessing?.InputSize}, expected {ServingGraphContract.InputSize}");
        if (!double.IsFinite(card.Temperature) || card.Temperature <= 0)
            throw Invalid($"temperature {card.Temperature} is not a positive number");
        if (card.Graph is null)
            throw Invalid("graph is missing");

        var graph = card.Graph;
        if (string.IsNullOrWhiteSpace(graph.InputName) || graph.Outputs is null ||
            new[] { graph.Outputs.Logit, graph.Outputs.Embedding, graph.Outputs.FeatureMap }.Any(string.IsNullOrWhiteSpace))
            throw Invalid("graph.input and graph.outputs must name the input and the logit, embedding and feature_map outputs");

        switch (graph.Kind)
        {
            case GraphCard.FrozenBackboneLinearHead:
                ValidateFrozenBackbone(graph);
                break;
            case GraphCard.Onnx:
                ValidateOnnxFile(graph);
                break;
            default:
                throw Invalid($"graph.kind '{graph.Kind}' is unknown (known: {GraphCard.FrozenBackboneLinearHead}, {GraphCard.Onnx})");
        }
    }

    private static void ValidateFrozenBackbone(GraphCard graph)
    {
        var head = graph.Head ?? throw Invalid($"graph.head is missing (required for kind {GraphCard.FrozenBackboneLinearHead})");
        if (head.Weights is null || head.Weights.Length != ModelOutputs.EmbeddingSize)
            throw Invalid($"graph.head.weights has {head.Weights?.Length ?? 0} values, expected {ModelOutputs.EmbeddingSize}");
        var bad = Array.FindIndex(head.Weights, w => !float.IsFinite(w));
        if (bad >= 0)
            throw Invalid($"graph.head.weights[{bad}] is {head.Weights[bad]}, not a finite number");
        if (!float.IsFinite(head.Bias))
            throw Invalid($"graph.head.bias is {head.Bias}, not a finite number");
        if (!IsSha256(graph.BackboneSha256))
            throw Invalid($"graph.backbone_sha256 '{graph.BackboneSha256}' is not a SHA-256 hex digest (required for kind {GraphCard.FrozenBackboneLinearHead})");
    }

    private static void ValidateOnnxFile(GraphCard graph)
    {
        if (graph.Members is { } members)
        {
            if (members.Count < 2)
                throw Invalid($"graph.members lists {members.Count} member; an ensemble has at least two (a single network uses graph.head)");
            for (var m = 0; m < members.Count; m++)
                if (members[m].Head.Weights is not { Length: ModelOutputs.EmbeddingSize } w || w.Any(v => !float.IsFinite(v)))
                    throw Invalid($"graph.members[{m}].head.weights must be {ModelOutputs.EmbeddingSize} finite numbers");
        }
        if (string.IsNullOrWhiteSpace(graph.File))
            throw Invalid($"graph.file is missing (required for kind {GraphCard.Onnx})");
        // The graph must lie in the bundle directory itself: a card must not reach elsewhere on the disk.
        if (graph.File != Path.GetFileName(graph.File) || graph.File is "." or "..")
            throw Invalid($"graph.file '{graph.File}' must be a plain file name inside the bundle directory");
        if (!IsSha256(graph.FileSha256))
            throw Invalid($"graph.file_sha256 '{graph.FileSha256}' is not a SHA-256 hex digest (required for kind {GraphCard.Onnx})");
    }

    private static bool IsSha256(string? s) => s is not null && Sha256Pattern().IsMatch(s.Trim());

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();

    public static CxrQaException Invalid(string why) => new(ErrorCodes.ModelInvalid, $"Invalid model card: {why}.");
}
