namespace CxrQa.Training.Export;

/// <summary>The serving graph's interface, as CxrQa.Core's model card expects it (GraphCard / GraphOutputsCard defaults).</summary>
public static class ServingGraphNames
{
    public const string Input = "image";
    public const string BatchDimension = "N";
    public const string Logit = "logit";
    public const string FeatureMap = "feature_map";
    public const string Embedding = "embedding";
    public const string MeanImage = "mean_image";
    public const string HeadWeight = "head_weight";
    public const string HeadBias = "head_bias";
}
