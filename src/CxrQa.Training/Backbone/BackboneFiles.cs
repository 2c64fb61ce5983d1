namespace CxrQa.Training.Backbone;

/// <summary>
/// The pretrained backbone files that CxrQa.Core copies into every build output (from the
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 package): the CNTK ResNet18 graph and the graph holding its mean image.
/// </summary>
public sealed record BackboneFiles(string ResNet18Path, string PreprocessPath)
{
    public static BackboneFiles BesideApp { get; } = new(
        Path.Combine(AppContext.BaseDirectory, "backbone", "ResNet18.onnx"),
        Path.Combine(AppContext.BaseDirectory, "backbone", "ResNetPreprocess.onnx"));
}
