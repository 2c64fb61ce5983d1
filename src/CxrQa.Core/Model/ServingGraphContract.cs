namespace CxrQa.Core.Model;

/// <summary>
/// Names and shapes of the graphs <see cref="ServingGraphBuilder"/> makes (and that an "onnx" bundle must have).
/// Every tensor has a leading symbolic batch dimension <see cref="BatchDimension"/>.
/// </summary>
public static class ServingGraphContract
{
    public const string BatchDimension = "N";
    public const int InputChannels = 3;
    public const int InputSize = 224;

    /// <summary>float [N,3,224,224]: a gray film 0..255 replicated to 3 planes. The planes are in the backbone's BGR
    /// order (the graph subtracts the BGR mean image); for a gray film the order does not matter.</summary>
    public const string Input = "image";

    /// <summary>float [N,1]: the pneumonia logit, W . embedding + b (serving graph only).</summary>
    public const string Logit = "logit";

    /// <summary>float [N,512]: the globally average-pooled last block.</summary>
    public const string Embedding = "embedding";

    /// <summary>float [N,512,7,7]: the last block's activations, the input of the global average pool (for Grad-CAM).</summary>
    public const string FeatureMap = "feature_map";

    /// <summary>Per-item shapes (without the batch dimension).</summary>
    public static readonly IReadOnlyList<int> InputItemShape = [InputChannels, InputSize, InputSize];
    public static readonly IReadOnlyList<int> LogitItemShape = [1];
    public static readonly IReadOnlyList<int> EmbeddingItemShape = [ModelOutputs.EmbeddingSize];
    public static readonly IReadOnlyList<int> FeatureMapItemShape =
        [ModelOutputs.EmbeddingSize, ModelOutputs.FeatureMapSide, ModelOutputs.FeatureMapSide];
}
