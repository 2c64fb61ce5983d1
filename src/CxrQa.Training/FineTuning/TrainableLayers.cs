namespace CxrQa.Training.FineTuning;

/// <summary>
/// Which backbone stages train: "layer4", "layer3,layer4", ..., or "all" (stem conv1/bn1 and every stage).
/// The head always trains. Parsed names are module prefixes of <see cref="Backbone.CxrResNet"/>.
/// </summary>
public static class TrainableLayers
{
    private static readonly string[] Stages = ["layer1", "layer2", "layer3", "layer4"];
    private static readonly string[] Stem = ["conv1", "bn1"];

    public static IReadOnlyList<string> Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var parts = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).Distinct().ToList();
        if (parts is ["all"])
            return [.. Stem, .. Stages];
        var unknown = parts.Where(p => !Stages.Contains(p) && p != "head").ToList();
        if (unknown.Count > 0 || parts.Count == 0)
            throw new ArgumentException($"--train-layers '{spec}': expected 'all' or a comma list of {string.Join(", ", Stages)} (unknown: {string.Join(", ", unknown)})");
        return parts.Where(p => p != "head").OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether a parameter (by its module path) trains under <paramref name="prefixes"/>.</summary>
    public static bool IsTrainable(string parameterName, IReadOnlyList<string> prefixes) =>
        parameterName.StartsWith("head.", StringComparison.Ordinal) ||
        prefixes.Any(p => parameterName.StartsWith(p + ".", StringComparison.Ordinal));
}
