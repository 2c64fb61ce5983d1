using System.Text.Json;
using System.Text.Json.Serialization;
using CxrQa.Core.Evaluation;

namespace CxrQa.Cli.Reports;

/// <summary>Writes <see cref="BinaryMetrics"/> as metrics.json (snake_case names; an undefined rate is written as "NaN").</summary>
public static class MetricsJsonWriter
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task Write(string path, BinaryMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(metrics);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, metrics, Options, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<BinaryMetrics> Read(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BinaryMetrics>(stream, Options, cancellationToken).ConfigureAwait(false)
               ?? throw new InvalidDataException($"'{path}' holds no metrics");
    }
}
