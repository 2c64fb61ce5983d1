using System.Text.Json;
using CxrQa.Core.Errors;

namespace CxrQa.Core.Model;

/// <summary>
/// Builds a deep-ensemble bundle from member bundles trained on the same patient split: one merged graph
/// (<see cref="EnsembleGraph"/>) and a card that lists every member (head, seed, validation AUC, command). The trust
/// layer is not copied: the ensemble is a new model and must be calibrated (<c>calibrate</c>) on its own outputs.
/// </summary>
public static class EnsembleBundle
{
    /// <param name="members">Member bundle folders (kind "onnx").</param>
    /// <param name="compressWeights">Optional weight compression of the merged graph (the fp16 writer); null: fp32.</param>
    public static ModelCard Write(IReadOnlyList<string> members, string outputDirectory, string name, string version,
        string? command, string? gitCommit, Func<byte[], byte[]>? compressWeights)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2) throw new ArgumentException("an ensemble needs at least two member bundles", nameof(members));
        var cards = members.Select(ReadCard).ToList();
        var first = cards[0].Card;
        foreach (var (dir, member) in cards)
        {
            if (member.Graph.Kind != GraphCard.Onnx || member.Graph.Head is null || member.Graph.Members is not null)
                throw Invalid(dir, "is not a single fine-tuned network (graph.kind onnx with one head)");
            if (member.Preprocessing != first.Preprocessing)
                throw Invalid(dir, "preprocesses films differently from the first member");
            if (!Trust.BundleCalibrator.CalibrationPaths(member).SetEquals(Trust.BundleCalibrator.CalibrationPaths(first)))
                throw Invalid(dir, "holds out different calibration films: members must share one patient split (train them with the same --split-seed)");
        }

        var graphs = cards.Select(c => new OnnxGraph(File.ReadAllBytes(Path.Combine(c.Dir, c.Card.Graph.File!)))).ToList();
        var merged = EnsembleGraph.Merge(graphs);
        var bytes = compressWeights is null ? merged.Bytes : compressWeights(merged.Bytes);
        var memberCards = cards.Select(c => new EnsembleMemberCard
        {
            Name = c.Card.Name,
            Head = c.Card.Graph.Head!,
            Seed = c.Card.Training?.Config is { } config && config.TryGetValue("seed", out var seed) && seed.ValueKind == JsonValueKind.Number ? seed.GetInt32() : null,
            ValAuc = c.Card.ValidationMetrics.TryGetValue("val_auc", out var auc) ? auc : null,
            Command = c.Card.Training?.Command,
        }).ToList();
        var card = new ModelCard
        {
            Name = name,
            Version = version,
            Created = DateTimeOffset.UtcNow,
            GitCommit = gitCommit,
            Description = $"Deep ensemble of {cards.Count} independently trained members (different seeds and augmentation draws, " +
                          "one shared patient split); the score is the mean of the members' logits, Grad-CAM the mean of their maps, " +
                          "and the members' disagreement is reported per answer. " + first.Description,
            Preprocessing = first.Preprocessing,
            Graph = new GraphCard
            {
                Kind = GraphCard.Onnx,
                Backbone = first.Graph.Backbone,
                BackboneSha256 = first.Graph.BackboneSha256,
                Members = memberCards,
                InputName = first.Graph.InputName,
                Outputs = new GraphOutputsCard { MemberLogits = EnsembleGraph.MemberLogits },
            },
            DecisionPolicy = new DecisionPolicyCard(),
            Training = first.Training! with
            {
                Method = $"deep ensemble of {cards.Count} members; each: " + first.Training!.Method,
                Command = command,
            },
            ValidationMetrics = memberCards.Select((m, i) => (m, i)).Where(x => x.m.ValAuc is not null)
                .ToDictionary(x => $"member_{x.i}_val_auc", x => x.m.ValAuc!.Value),
        };
        return ModelBundleWriter.Save(outputDirectory, card, new OnnxGraph(bytes));
    }

    private static (string Dir, ModelCard Card) ReadCard(string dir)
    {
        var path = Path.Combine(dir, ModelBundle.CardFileName);
        if (!File.Exists(path)) throw new CxrQaException(ErrorCodes.ModelInvalid, $"No {ModelBundle.CardFileName} in member folder '{dir}'.");
        var card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllBytes(path), ModelCard.JsonOptions)
                   ?? throw Invalid(dir, "has an empty model.json");
        ModelCardValidator.Validate(card);
        return (dir, card);
    }

    private static CxrQaException Invalid(string dir, string why) => new(ErrorCodes.ModelInvalid, $"The member bundle '{dir}' {why}.");
}
