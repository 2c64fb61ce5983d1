using System.Text.Json.Nodes;
using CxrQa.Tests.Support;

namespace CxrQa.Server.Tests.Support;

/// <summary>Streams for the monitors: the shipped bundle's own calibration films (in distribution by construction),
/// and the dev-shift films (adult films from other hospitals), each in a seeded random order.</summary>
public static class MonitoringFilms
{
    /// <summary>The calibration films the shipped card records (training.config.calibration_paths), under kermany-224/train.</summary>
    public static IReadOnlyList<string> Calibration(int seed, string? label = null)
    {
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.RepoRoot, "models", "cxrqa-ensemble-resnet18-int8", "model.json")))!;
        var paths = card["training"]!["config"]!["calibration_paths"]!.AsArray().Select(p => p!.GetValue<string>())
            .Where(p => label is null || p.StartsWith(label + "/", StringComparison.Ordinal))
            .Select(p => TestData.Path("kermany-224", "train", p)).ToArray();
        new Random(seed).Shuffle(paths);
        return paths;
    }

    /// <summary>Every dev-shift film (NORMAL, PNEUMONIA, OTHER_DISEASE), shuffled.</summary>
    public static IReadOnlyList<string> DevShift(int seed)
    {
        var files = Directory.GetFiles(TestData.Path("dev-shift"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(files);
        return files;
    }
}
