using System.Security.Cryptography;
using System.Text;

namespace CxrQa.Core.Data;

/// <summary>
/// The canonical text of a dataset: one line per image, <c>sha256 TAB label TAB relative path</c>, lines sorted
/// ordinally, each ending in '\n'. Its SHA-256 identifies exactly which films (and labels) a model was trained on,
/// whatever the machine, the folder it lives in or the order the file system lists it.
/// </summary>
public static class DatasetManifest
{
    public static string Text(IEnumerable<LabelledImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var lines = images
            .Select(i => $"{i.Sha256.ToLowerInvariant()}\t{i.Label}\t{i.RelativePath}")
            .Order(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 manifest text: the model card's data_manifest_sha256.</summary>
    public static string Sha256(string manifestText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifestText)));
}
