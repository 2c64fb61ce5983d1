namespace CxrQa.Cli.Reports;

/// <summary>What the report was run on: the model, its promise and the data.</summary>
/// <param name="PolicyDescription">The card's decision policy in words (null when the card has none).</param>
public sealed record ReportContext(
    string ModelName,
    string ModelVersion,
    string PolicyMode,
    string? PolicyDescription,
    string DataFolder,
    string ManifestSha256,
    int DuplicatesDropped,
    int Failed);
