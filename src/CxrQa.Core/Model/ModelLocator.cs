using CxrQa.Core.Errors;

namespace CxrQa.Core.Model;

/// <summary>Finds the model bundle to load: an explicit directory, else CXRQA_MODEL, else the bundle shipped in the build output.</summary>
public static class ModelLocator
{
    /// <summary>The bundle shipped as the default (under models/ in the repository, copied into every build output).</summary>
    public const string ShippedBundleName = "cxrqa-ensemble-resnet18-int8";

    public static string Resolve(string? explicitDirectory)
    {
        var dir = !string.IsNullOrWhiteSpace(explicitDirectory) ? explicitDirectory
            : Environment.GetEnvironmentVariable("CXRQA_MODEL") is { Length: > 0 } fromEnv ? fromEnv
            : Path.Combine(AppContext.BaseDirectory, "models", ShippedBundleName);
        if (!File.Exists(Path.Combine(dir, "model.json")))
            throw new CxrQaException(ErrorCodes.ModelInvalid, $"no model bundle at '{dir}' (model.json not found)");
        return Path.GetFullPath(dir);
    }
}
