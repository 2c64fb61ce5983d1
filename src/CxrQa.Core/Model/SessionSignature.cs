using CxrQa.Core.Errors;
using Microsoft.ML.OnnxRuntime;

namespace CxrQa.Core.Model;

/// <summary>A named float tensor with a dynamic batch dimension and a fixed per-item shape.</summary>
internal sealed record BatchedTensorSpec(string Name, IReadOnlyList<int> ItemShape)
{
    public int ItemLength => ItemShape.Aggregate(1, (a, d) => a * d);

    public long[] BatchShape(int count) => [count, .. ItemShape.Select(d => (long)d)];

    public string Describe() => $"[N,{string.Join(",", ItemShape)}]";
}

/// <summary>Checks that a session's input and outputs are what the caller (the model card) expects, so a wrong graph
/// fails at load with a message naming the tensor instead of at the first request.</summary>
internal static class SessionSignature
{
    public static void Check(InferenceSession session, BatchedTensorSpec input, IReadOnlyList<BatchedTensorSpec> outputs, string description)
    {
        if (session.InputMetadata.Count != 1)
            throw Mismatch(description, $"it has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}), expected one named '{input.Name}'");
        CheckTensor(session.InputMetadata, input, "input", description);
        foreach (var output in outputs)
            CheckTensor(session.OutputMetadata, output, "output", description);
    }

    private static void CheckTensor(IReadOnlyDictionary<string, NodeMetadata> metadata, BatchedTensorSpec expected, string role, string description)
    {
        if (!metadata.TryGetValue(expected.Name, out var actual))
            throw Mismatch(description, $"it has no {role} '{expected.Name}' (its {role}s: {string.Join(", ", metadata.Keys)})");
        if (!actual.IsTensor || actual.ElementType != typeof(float))
            throw Mismatch(description, $"{role} '{expected.Name}' is not a float tensor");

        var dims = actual.Dimensions;
        var shown = "[" + string.Join(",", dims.Select((d, i) => d >= 0 ? d.ToString() : actual.SymbolicDimensions[i] is { Length: > 0 } s ? s : "?")) + "]";
        if (dims.Length != expected.ItemShape.Count + 1 || !dims.Skip(1).SequenceEqual(expected.ItemShape))
            throw Mismatch(description, $"{role} '{expected.Name}' has shape {shown}, expected {expected.Describe()}");
        if (dims[0] >= 0)
            throw Mismatch(description, $"{role} '{expected.Name}' has a fixed batch size {dims[0]} ({shown}); the batch dimension must be symbolic");
    }

    private static CxrQaException Mismatch(string description, string why) =>
        new(ErrorCodes.ModelInvalid, $"{description} does not match the model card: {why}.");
}
