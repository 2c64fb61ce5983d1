namespace CxrQa.Core.Model;

/// <summary>Raw graph outputs for a batch of N films, flattened row-major.</summary>
/// <param name="Count">N.</param>
/// <param name="Logits">N pneumonia logits (before temperature).</param>
/// <param name="Embeddings">N x 512 pooled features.</param>
/// <param name="FeatureMaps">N x 512 x 7 x 7 last-block activations (for Grad-CAM).</param>
public sealed record ModelOutputs(int Count, float[] Logits, float[] Embeddings, float[] FeatureMaps)
{
    public const int EmbeddingSize = 512;
    public const int FeatureMapSide = 7;
    public const int FeatureMapSize = EmbeddingSize * FeatureMapSide * FeatureMapSide;

    public ReadOnlySpan<float> Embedding(int i) => Embeddings.AsSpan(i * EmbeddingSize, EmbeddingSize);
    public ReadOnlySpan<float> FeatureMap(int i) => FeatureMaps.AsSpan(i * FeatureMapSize, FeatureMapSize);
}
