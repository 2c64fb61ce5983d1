using System.Text.Json;
using CxrQa.Cli.Reports;
using CxrQa.Core.Evaluation;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Reports;

public class MetricsJsonWriterTests
{
    [Fact]
    public async Task Writes_snake_case_metrics_and_reads_them_back()
    {
        using var dir = new TempDirectory();
        var metrics = BinaryMetrics.Compute([0.1, 0.7, 0.4, 0.9], [0, 0, 1, 1], 0.5);
        var path = Path.Combine(dir.Path, "metrics.json");

        await MetricsJsonWriter.Write(path, metrics, CancellationToken.None);

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["auc", "accuracy", "sensitivity", "specificity", "precision", "f1", "brier", "ece", "confusion_matrix", "n", "threshold"], names);
        var cm = doc.RootElement.GetProperty("confusion_matrix");
        Assert.Equal(["tn", "fp", "fn", "tp"], cm.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, cm.GetProperty("tn").GetInt32());
        Assert.Equal(4, doc.RootElement.GetProperty("n").GetInt32());

        Assert.Equal(metrics, await MetricsJsonWriter.Read(path, CancellationToken.None));
    }

    [Fact]
    public async Task Undefined_rates_survive_as_nan()
    {
        using var dir = new TempDirectory();
        var metrics = BinaryMetrics.Compute([0.1, 0.2], [0, 0]);
        var path = Path.Combine(dir.Path, "metrics.json");
        await MetricsJsonWriter.Write(path, metrics, CancellationToken.None);
        var back = await MetricsJsonWriter.Read(path, CancellationToken.None);
        Assert.True(double.IsNaN(back.Auc));
        Assert.True(double.IsNaN(back.Sensitivity));
    }
}
