namespace CxrQa.Core.Model;

/// <summary>Raw graph outputs for a batch of N films, flattened row-major.</summary>
/// <param name="Count">N.</param>
/// <param name="Logits">N pneumonia logits (before temperature); for an ensemble, the mean of its members' logits.</param>
/// <param name="Embeddings">N x 512 pooled features (an ensemble: the members' mean).</param>
/// <param name="FeatureMaps">N x (512 x Members) x 7 x 7 last-block activations (for Grad-CAM), members side by side.</param>
public sealed record ModelOutputs(int Count, float[] Logits, float[] Embeddings, float[] FeatureMaps)
{
    public const int EmbeddingSize = 512;
    public const int FeatureMapSide = 7;
    public const int FeatureMapSize = EmbeddingSize * FeatureMapSide * FeatureMapSide;

    /// <summary>Ensemble members (1 for a single network).</summary>
    public int Members { get; init; } = 1;

    /// <summary>N x Members logits of the members; null for a single network.</summary>
    public float[]? MemberLogits { get; init; }

    /// <summary>Pooled features of the earlier backbone stages (<see cref="DepthFeatureOutputs"/>), one N x channels
    /// array per stage; empty when the graph does not expose them.</summary>
    public IReadOnlyList<float[]> DepthFeatures { get; init; } = [];

    public ReadOnlySpan<float> Embedding(int i) => Embeddings.AsSpan(i * EmbeddingSize, EmbeddingSize);
    public ReadOnlySpan<float> FeatureMap(int i) => FeatureMaps.AsSpan(i * FeatureMapSize * Members, FeatureMapSize * Members);
    public ReadOnlySpan<float> MemberFeatureMap(int i, int member) => FeatureMaps.AsSpan((i * Members + member) * FeatureMapSize, FeatureMapSize);

    /// <summary>Film <paramref name="i"/>'s member logits (its one logit for a single network).</summary>
    public ReadOnlySpan<float> MembersOf(int i) => MemberLogits is null ? Logits.AsSpan(i, 1) : MemberLogits.AsSpan(i * Members, Members);

    /// <summary>Film <paramref name="i"/>'s pooled features of stage <paramref name="depth"/> (0-based index into
    /// <see cref="DepthFeatures"/>).</summary>
    public ReadOnlySpan<float> Depth(int i, int depth)
    {
        var channels = DepthFeatureOutputs.Outputs[depth].Channels;
        return DepthFeatures[depth].AsSpan(i * channels, channels);
    }
}
