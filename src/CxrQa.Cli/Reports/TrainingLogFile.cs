using CxrQa.Core.Evaluation;

namespace CxrQa.Cli.Reports;

/// <summary>Reads the bundle's training log when it has one (bundles from the frozen-head trainer do not).</summary>
public static class TrainingLogFile
{
    public static async Task<IReadOnlyList<TrainingEpoch>?> TryReadAsync(string bundleDirectory, CancellationToken ct)
    {
        var path = Path.Combine(bundleDirectory, TrainingLog.FileName);
        return File.Exists(path) ? TrainingLog.Parse(await File.ReadAllTextAsync(path, ct)) : null;
    }
}
