using CxrQa.Core.Errors;

namespace CxrQa.Core.Model;

/// <summary>
/// Where the pretrained ResNet18 featurizer lies. The build copies both files out of the
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 NuGet package into <c>backbone/</c> of every output directory
/// (see CxrQa.Core.csproj), so the 64 MB graph is never committed and its path is never hard-coded.
/// </summary>
/// <param name="ModelPath">ResNet18.onnx: input <c>Input247</c> [1,3,224,224] BGR minus the mean image, output
/// <c>Pooling395_Output_0</c> [1,512,1,1].</param>
/// <param name="PreprocessPath">ResNetPreprocess.onnx: holds the mean image (see <see cref="BackboneMeanImage"/>).</param>
public sealed record BackboneFiles(string ModelPath, string PreprocessPath)
{
    public const string DefaultDirectoryName = "backbone";
    public const string ModelFileName = "ResNet18.onnx";
    public const string PreprocessFileName = "ResNetPreprocess.onnx";

    /// <summary>What a model card names as its backbone (<c>graph.backbone</c>): package/version:file.</summary>
    public const string Identifier = "Microsoft.ML.DnnImageFeaturizer.ResNet18/0.23.1:ResNet18.onnx";

    /// <summary>The backbone directory that <see cref="Locate"/> uses when none is given.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, DefaultDirectoryName);

    /// <summary>Finds both files in <paramref name="directory"/> (default: <c>backbone/</c> beside the application).</summary>
    /// <exception cref="CxrQaException">ModelInvalid when a file is missing.</exception>
    public static BackboneFiles Locate(string? directory = null)
    {
        var dir = Path.GetFullPath(string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory);
        var files = new BackboneFiles(Path.Combine(dir, ModelFileName), Path.Combine(dir, PreprocessFileName));
        foreach (var path in new[] { files.ModelPath, files.PreprocessPath })
        {
            if (!File.Exists(path))
                throw new CxrQaException(ErrorCodes.ModelInvalid,
                    $"Backbone file '{path}' not found. The build copies it from the NuGet package " +
                    "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 into backbone/ of the output; rebuild, " +
                    "or point the backbone directory option at a folder holding " + ModelFileName + " and " + PreprocessFileName + ".");
        }
        return files;
    }

    /// <summary>Lower-case hex SHA-256 of ResNet18.onnx (what <c>graph.backbone_sha256</c> records).</summary>
    public string ComputeModelSha256() => Sha256Hex.OfFile(ModelPath);
}
