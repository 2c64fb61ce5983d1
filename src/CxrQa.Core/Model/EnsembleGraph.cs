using System.Security.Cryptography;
using CxrQa.Core.Errors;
using Google.Protobuf;
using Onnx;

namespace CxrQa.Core.Model;

/// <summary>
/// Merges the serving graphs of independently trained members (each: input <c>image</c>, outputs <c>logit</c>,
/// <c>embedding</c>, <c>feature_map</c>) into one graph that ONNX Runtime runs as one session:
/// <list type="bullet">
/// <item><c>member_logits</c> [N,M] and <c>logit</c> [N,1] = their mean (the ensemble's score);</item>
/// <item><c>feature_map</c> [N,512M,7,7]: the members' last blocks side by side, for per-member Grad-CAM;</item>
/// <item><c>embedding</c> [N,512]: the members' mean pooled features (the OOD gate's input).</item>
/// </list>
/// Identical work is done once: initializers with equal contents and nodes with equal operator, attributes and
/// (already merged) inputs are kept once. Members fine-tuned from the same backbone with the early stages frozen thus
/// share those stages, and an M-member ensemble costs less than M networks.
/// </summary>
public static class EnsembleGraph
{
    public const string MemberLogits = "member_logits";

    public static OnnxGraph Merge(IReadOnlyList<OnnxGraph> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2) throw new ArgumentException("an ensemble needs at least two members", nameof(members));
        var parsed = members.Select(m => ModelProto.Parser.ParseFrom(m.Bytes)).ToList();
        var first = parsed[0];
        var merged = new GraphProto { Name = "cxrqa_ensemble" };
        merged.Input.Add(first.Graph.Input.Single(i => i.Name == ServingGraphContract.Input));

        var initializerByContent = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodeByKey = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        var outputsOf = new List<Dictionary<string, string>>();
        for (var m = 0; m < parsed.Count; m++)
        {
            var graph = parsed[m].Graph;
            var rename = new Dictionary<string, string>(StringComparer.Ordinal) { [ServingGraphContract.Input] = ServingGraphContract.Input };
            foreach (var initializer in graph.Initializer)
            {
                var key = ContentKey(initializer);
                if (!initializerByContent.TryGetValue(key, out var canonical))
                {
                    canonical = $"m{m}/{initializer.Name}";
                    var copy = initializer.Clone();
                    copy.Name = canonical;
                    merged.Initializer.Add(copy);
                    initializerByContent[key] = canonical;
                }
                rename[initializer.Name] = canonical;
            }
            foreach (var node in graph.Node)
            {
                var inputs = node.Input.Select(i => i.Length == 0 ? i : rename.TryGetValue(i, out var r) ? r
                    : throw new CxrQaException(ErrorCodes.ModelInvalid, $"member {m}: node '{node.Name}' reads '{i}' before it is made")).ToList();
                var key = NodeKey(node, inputs);
                if (!nodeByKey.TryGetValue(key, out var existing))
                {
                    existing = node.Clone();
                    existing.Name = $"m{m}/{node.Name}";
                    existing.Input.Clear();
                    existing.Input.AddRange(inputs);
                    existing.Output.Clear();
                    existing.Output.AddRange(node.Output.Select(o => $"m{m}/{o}"));
                    merged.Node.Add(existing);
                    nodeByKey[key] = existing;
                }
                for (var o = 0; o < node.Output.Count; o++)
                    rename[node.Output[o]] = existing.Output[o];
            }
            outputsOf.Add(rename);
        }

        string Out(int m, string name) => outputsOf[m].TryGetValue(name, out var r) ? r
            : throw new CxrQaException(ErrorCodes.ModelInvalid, $"member {m} has no output '{name}'");
        var count = parsed.Count;
        merged.Node.Add(new NodeProto
        {
            OpType = "Concat", Name = "cxrqa_member_logits", Output = { MemberLogits },
            Input = { Enumerable.Range(0, count).Select(m => Out(m, ServingGraphContract.Logit)) },
            Attribute = { IntAttribute("axis", 1) },
        });
        merged.Node.Add(new NodeProto
        {
            OpType = "Mean", Name = "cxrqa_ensemble_logit", Output = { ServingGraphContract.Logit },
            Input = { Enumerable.Range(0, count).Select(m => Out(m, ServingGraphContract.Logit)) },
        });
        merged.Node.Add(new NodeProto
        {
            OpType = "Mean", Name = "cxrqa_ensemble_embedding", Output = { ServingGraphContract.Embedding },
            Input = { Enumerable.Range(0, count).Select(m => Out(m, ServingGraphContract.Embedding)) },
        });
        merged.Node.Add(new NodeProto
        {
            OpType = "Concat", Name = "cxrqa_member_feature_maps", Output = { ServingGraphContract.FeatureMap },
            Input = { Enumerable.Range(0, count).Select(m => Out(m, ServingGraphContract.FeatureMap)) },
            Attribute = { IntAttribute("axis", 1) },
        });
        merged.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.Logit, ServingGraphContract.LogitItemShape));
        merged.Output.Add(ValueInfos.FloatTensor(MemberLogits, [count]));
        merged.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.Embedding, ServingGraphContract.EmbeddingItemShape));
        merged.Output.Add(ValueInfos.FloatTensor(ServingGraphContract.FeatureMap,
            [ModelOutputs.EmbeddingSize * count, ModelOutputs.FeatureMapSide, ModelOutputs.FeatureMapSide]));

        var model = new ModelProto
        {
            IrVersion = first.IrVersion, ProducerName = "CxrQa", ProducerVersion = "1", Graph = merged,
            DocString = $"CxrQa ensemble of {count} members; shared work kept once.",
        };
        model.OpsetImport.AddRange(first.OpsetImport);
        return new OnnxGraph(model.ToByteArray());
    }

    private static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static string ContentKey(TensorProto tensor)
    {
        var copy = tensor.Clone();
        copy.Name = "";
        return Convert.ToHexString(SHA256.HashData(copy.ToByteArray()));
    }

    private static string NodeKey(NodeProto node, IReadOnlyList<string> inputs)
    {
        var copy = node.Clone();
        copy.Name = "";
        copy.Input.Clear();
        copy.Output.Clear();
        copy.Input.AddRange(inputs);
        copy.Output.Add(node.Output.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexString(SHA256.HashData(copy.ToByteArray()));
    }
}
